import type { ProviderKind } from '../domain/ids.js';
import type { InboundMessage, MediaKind } from '../domain/messages.js';

/** A webhook exactly as it arrived: the raw bytes are what signatures cover. */
export interface RawWebhook {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** A bad signature is a result, not a throw: the caller turns it into a 401 with `reason`. */
export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** What one webhook means to the bridge. */
export type InboundEvent =
  | { readonly kind: 'message'; readonly message: InboundMessage }
  | { readonly kind: 'receipt'; readonly providerMessageId: string; readonly status: 'sent' | 'delivered' | 'read' | 'failed' }
  | { readonly kind: 'ignored'; readonly reason: string };

/** Thrown by `normalise` when a verified body is not something the provider could have sent. */
export class InvalidPayloadError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidPayloadError';
  }
}

/** Data, not behaviour: what the provider can carry. */
export interface ProviderCapabilities {
  readonly mediaKinds: readonly MediaKind[];
  readonly receipts: boolean;
  readonly maxInboundMediaBytes: number;
}

/**
 * The contract every provider folder implements. Built per account by a factory that receives the
 * account's credentials, so no method takes a secret.
 */
export interface ProviderAdapter {
  readonly provider: ProviderKind;
  readonly capabilities: ProviderCapabilities;
  /** Called on the request path, before parsing. Pure and constant-time; must not do network calls. */
  verify(webhook: RawWebhook, now?: Date): VerifyResult;
  /** Called after `verify` succeeded. Pure; returns [] or `ignored` for events the bridge does not carry. */
  normalise(webhook: RawWebhook): InboundEvent[];
}
