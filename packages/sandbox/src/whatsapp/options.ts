/** How the WhatsApp Cloud emulator is set up. Defaults are applied once, in resolveOptions. */
export interface WhatsAppSandboxOptions {
  /** The Bearer token Graph calls must carry. */
  readonly accessToken: string;
  /** Signs webhooks (X-Hub-Signature-256). */
  readonly appSecret: string;
  /** Sent in the subscription handshake. */
  readonly verifyToken: string;
  /** Where webhooks go; also settable later through the control API. */
  readonly webhookUrl?: string;
  /** @default '106540352242922' */
  readonly phoneNumberId?: string;
  /** @default '15550783881' */
  readonly displayPhoneNumber?: string;
  /** @default 'Sandbox Business' */
  readonly verifiedName?: string;
  /** @default '102290129340398' */
  readonly wabaId?: string;
  /** Gap between the statuses of one message. @default 300 */
  readonly statusDelayMs?: number;
  /**
   * Webhook delivery attempts, the first backoff (doubling) and its cap. @default { attempts: 5, baseDelayMs: 250 }, no
   * cap
   */
  readonly webhookRetry?: { readonly attempts: number; readonly baseDelayMs: number; readonly maxDelayMs?: number };
  /** Media URL lifetime, on the sandbox clock. @default 5 minutes, as Meta */
  readonly mediaUrlTtlMs?: number;
}

export type ResolvedOptions = Required<Omit<WhatsAppSandboxOptions, 'webhookUrl'>> & { readonly webhookUrl?: string };

export function resolveOptions(options: WhatsAppSandboxOptions): ResolvedOptions {
  return {
    ...options,
    phoneNumberId: options.phoneNumberId ?? '106540352242922',
    displayPhoneNumber: options.displayPhoneNumber ?? '15550783881',
    verifiedName: options.verifiedName ?? 'Sandbox Business',
    wabaId: options.wabaId ?? '102290129340398',
    statusDelayMs: options.statusDelayMs ?? 300,
    webhookRetry: options.webhookRetry ?? { attempts: 5, baseDelayMs: 250 },
    mediaUrlTtlMs: options.mediaUrlTtlMs ?? 5 * 60_000,
  };
}
