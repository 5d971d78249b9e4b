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
  /**
   * Time every HubSpot API call is held before it is handled, in ms, as the network and HubSpot's own work would
   * take (benchmarks). `/_sandbox/*`, the inbox page and signed file downloads are never delayed.
   * @default 0
   */
  readonly latencyMs?: number;
}

export interface ResolvedSandboxOptions {
  readonly accessTokenLifetimeSeconds: number;
  readonly rateLimit: { readonly max: number; readonly intervalMs: number };
  readonly webhookRetry: { readonly maxRetries: number; readonly firstDelayMs: number; readonly timeoutMs: number };
  readonly closedThreadPolicy: 'new-thread' | 'reopen';
  readonly maxFileBytes: number;
  readonly latencyMs: number;
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
    latencyMs: options.latencyMs ?? 0,
  };
}

/** The environment variables `sandboxOptionsFromEnv` reads; every one is optional. */
export const SANDBOX_ENV = {
  accessTokenLifetimeSeconds: 'SANDBOX_HUBSPOT_TOKEN_LIFETIME_SECONDS',
  rateLimitMax: 'SANDBOX_HUBSPOT_RATE_LIMIT_MAX',
  rateLimitIntervalMs: 'SANDBOX_HUBSPOT_RATE_LIMIT_INTERVAL_MS',
  webhookMaxRetries: 'SANDBOX_HUBSPOT_WEBHOOK_MAX_RETRIES',
  webhookFirstDelayMs: 'SANDBOX_HUBSPOT_WEBHOOK_FIRST_DELAY_MS',
  closedThreadPolicy: 'SANDBOX_HUBSPOT_CLOSED_THREAD_POLICY',
  maxFileBytes: 'SANDBOX_HUBSPOT_MAX_FILE_BYTES',
  latencyMs: 'SANDBOX_HUBSPOT_LATENCY_MS',
} as const;

/**
 * Options from an environment map, for the sandbox's entrypoint (which alone reads `process.env`).
 * Throws an Error naming the variable when a value is not a positive integer or not a known policy.
 */
export function sandboxOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): SandboxOptions {
  const int = (name: string, min = 1) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min)
      throw new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
    return value;
  };
  const policy = env[SANDBOX_ENV.closedThreadPolicy];
  if (policy !== undefined && policy !== '' && policy !== 'new-thread' && policy !== 'reopen') {
    throw new Error(`${SANDBOX_ENV.closedThreadPolicy} must be new-thread or reopen, got ${JSON.stringify(policy)}`);
  }
  return {
    accessTokenLifetimeSeconds: int(SANDBOX_ENV.accessTokenLifetimeSeconds),
    rateLimit: { max: int(SANDBOX_ENV.rateLimitMax), intervalMs: int(SANDBOX_ENV.rateLimitIntervalMs) },
    webhookRetry: {
      maxRetries: int(SANDBOX_ENV.webhookMaxRetries, 0),
      firstDelayMs: int(SANDBOX_ENV.webhookFirstDelayMs),
    },
    closedThreadPolicy: policy === 'new-thread' || policy === 'reopen' ? policy : undefined,
    maxFileBytes: int(SANDBOX_ENV.maxFileBytes),
    latencyMs: int(SANDBOX_ENV.latencyMs, 0),
  };
}
