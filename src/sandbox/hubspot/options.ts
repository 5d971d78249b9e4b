/** How the sandbox behaves where HubSpot's behaviour is a number or an open question. */
export interface SandboxOptions {
  /**
   * Lifetime of OAuth access tokens, in seconds.
   * @default 1800 (HubSpot: 30 minutes)
   */
  readonly accessTokenLifetimeSeconds?: number;
  /**
   * Requests per interval per app per portal (also per developer key) before 429.
   * @default { max: 100, intervalMs: 10_000 } (HubSpot's OAuth-app limit)
   */
  readonly rateLimit?: { readonly max?: number; readonly intervalMs?: number };
  /**
   * Webhook retries: a non-2xx answer or a network error is retried up to `maxRetries` times, the delay doubling from
   * `firstDelayMs`. Tests compress it (e.g. `firstDelayMs: 20`).
   * @default { maxRetries: 10, firstDelayMs: 60_000, timeoutMs: 10_000 }
   */
  readonly webhookRetry?: { readonly maxRetries?: number; readonly firstDelayMs?: number; readonly timeoutMs?: number };
  /**
   * What a message to a CLOSED thread does. `new-thread`: it starts a new thread (the closed one stays closed).
   * `reopen`: the closed thread reopens and takes the message.
   * @default 'new-thread' (inferred; see docs/SANDBOX.md)
   */
  readonly closedThreadPolicy?: 'new-thread' | 'reopen';
  /**
   * Largest upload the Files API accepts, in bytes.
   * @default 20_000_000 (HubSpot's real cap is in a KB article; inferred)
   */
  readonly maxFileBytes?: number;
}

export interface ResolvedSandboxOptions {
  readonly accessTokenLifetimeSeconds: number;
  readonly rateLimit: { readonly max: number; readonly intervalMs: number };
  readonly webhookRetry: { readonly maxRetries: number; readonly firstDelayMs: number; readonly timeoutMs: number };
  readonly closedThreadPolicy: 'new-thread' | 'reopen';
  readonly maxFileBytes: number;
}

export function resolveOptions(options: SandboxOptions): ResolvedSandboxOptions {
  return {
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 1800,
    rateLimit: { max: options.rateLimit?.max ?? 100, intervalMs: options.rateLimit?.intervalMs ?? 10_000 },
    webhookRetry: {
      maxRetries: options.webhookRetry?.maxRetries ?? 10,
      firstDelayMs: options.webhookRetry?.firstDelayMs ?? 60_000,
      timeoutMs: options.webhookRetry?.timeoutMs ?? 10_000,
    },
    closedThreadPolicy: options.closedThreadPolicy ?? 'new-thread',
    maxFileBytes: options.maxFileBytes ?? 20_000_000,
  };
}
