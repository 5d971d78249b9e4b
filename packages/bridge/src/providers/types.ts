import type { ProviderKind } from '../domain/ids.js';
import type { InboundMedia, InboundMessage, MediaKind } from '../domain/messages.js';

/** A webhook exactly as it arrived: the raw bytes are what signatures cover. */
export interface RawWebhook {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  /**
   * The public URL the provider called, query included: BRIDGE_PUBLIC_URL + the request's path, never the api's own
   * host (a proxy or tunnel sits between). Set by the webhook route when it knows the public URL; providers that sign
   * the URL (Twilio) check against it.
   */
  readonly url?: string;
}

/** A bad signature is a result, not a throw: the caller turns it into a 401 with `reason`. */
export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Provider-neutral delivery states, in the order they may only move forward. */
export type ReceiptStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** How one `send` is named and, for a resend, which of its provider messages goes again. */
export interface SendOptions {
  readonly idempotencyKey?: string;
  readonly onlyPiece?: number;
}

/** What one webhook means to the bridge. */
export type InboundEvent =
  | { readonly kind: 'message'; readonly message: InboundMessage }
  | {
      readonly kind: 'receipt';
      /** The provider's id of OUR outbound message (WhatsApp wamid, generic messageId). */
      readonly providerMessageId: string;
      readonly status: ReceiptStatus;
      /** A reason a rep can read, for `failed`. */
      readonly reason?: string;
      /**
       * The provider's own error code, for `failed` (WhatsApp `errors[0].code`, e.g. 131047 outside the 24-hour
       * window).
       */
      readonly code?: string | number;
      /**
       * For a `failed`: the customer's messaging window had closed (WhatsApp 131047), so the part may go once more
       * through the adapter's `sendOutsideWindow`. Set by the normaliser; older signals carry only the code.
       */
      readonly windowClosed?: boolean;
      /**
       * For a `failed` the provider says a later try can fix (throttling, its own transient errors): how long to wait
       * before sending the message again.
       */
      readonly resendAfterSeconds?: number;
    }
  | {
      readonly kind: 'ignored';
      /**
       * Why, in a few stable words (`customer-blocked`, `message-type`…): the metric label
       * `bridge_webhook_items_ignored_total{code}`, and a row of docs/PROVIDERS.md's list of deliberate ignores.
       */
      readonly code: string;
      /** The same, for a person reading the log line, with the ids involved. */
      readonly reason: string;
    };

export type IgnoredEvent = Extract<InboundEvent, { kind: 'ignored' }>;

/** What a provider deliberately does not carry: `code` for the metric, `reason` for the log. */
export const ignoredEvent = (code: string, reason: string): IgnoredEvent => ({ kind: 'ignored', code, reason });

/** Thrown by `normalise` when a verified body is not something the provider could have sent. */
export class InvalidPayloadError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidPayloadError';
  }
}

/**
 * Thrown by `send` and `fetchMedia`. Retryability is data. `reason` is shown to the rep in HubSpot,
 * so it says what happened in their words ("the customer blocked the bot").
 */
export class ProviderError extends Error {
  constructor(
    readonly reason: string,
    readonly options: {
      readonly retryable: boolean;
      /** Seconds the provider asked us to wait (Telegram `retry_after`, `Retry-After`). */
      readonly retryAfterSeconds?: number;
      /** The provider's own code, e.g. Telegram 403, WhatsApp 131047. */
      readonly code?: string | number;
      readonly cause?: unknown;
    },
  ) {
    super(reason, { cause: options.cause });
    this.name = 'ProviderError';
  }
  get retryable(): boolean {
    return this.options.retryable;
  }
}

/** Data, not behaviour: what the provider can carry. */
export interface ProviderCapabilities {
  readonly mediaKinds: readonly MediaKind[];
  readonly receipts: boolean;
  /** Largest inbound file the bridge can download from this provider. */
  readonly maxInboundMediaBytes: number;
  /** Largest outbound file per kind; a larger one fails with a readable reason before any upload. */
  readonly maxOutboundMediaBytes: Readonly<Partial<Record<MediaKind, number>>>;
  /** What rich text becomes: Telegram HTML, WhatsApp's *bold* markup, or plain text. */
  readonly textFormat: 'telegram-html' | 'whatsapp-markup' | 'plain';
}

/** Downloaded media. `body` is streamed so a large file is never held whole in memory twice. */
export interface MediaBlob {
  readonly contentType: string;
  readonly filename?: string;
  readonly sizeBytes?: number;
  readonly body: ReadableStream<Uint8Array>;
}

/** One file of a rep's reply, already fetched from HubSpot. */
export interface OutboundAttachment {
  readonly kind: MediaKind;
  readonly contentType: string;
  readonly filename: string;
  readonly data: Buffer;
}

/** A rep's reply in provider-neutral form; `text` is already in the provider's `textFormat`. */
export interface OutboundMessage {
  readonly chatId: string;
  readonly text?: string;
  /**
   * The rep's HubSpot rich text (HTML) as written, beside `text`, for an adapter that carries formatting of its own
   * (generic: the contract's `formatted` body, src/providers/generic/formatted.ts). Untrusted: such an adapter
   * sanitises it. The others ignore it.
   */
  readonly richText?: string;
  /**
   * At most one file: the core sends a reply one part at a time (src/domain/outbound-plan.ts, the part ledger), and a
   * file's `text` is its caption, which the module's `reply.captionFits` already accepted. An array for the wire shape
   * of the generic contract; adapters need not plan several files or a caption that does not fit.
   */
  readonly attachments: readonly OutboundAttachment[];
  readonly replyToProviderMessageId?: string;
}

/** The provider's ids for what was sent (one per text or attachment message), for receipts. */
export interface SendResult {
  readonly providerMessageIds: readonly string[];
}

/** Answer to a provider's subscription handshake (WhatsApp's GET hub.challenge). */
export type HandshakeResult =
  { readonly ok: true; readonly body: string } | { readonly ok: false; readonly reason: string };

/**
 * The contract every provider folder implements. Built per account by a factory that receives the
 * account's credentials and an injected `fetch`, so no method takes a secret.
 */
export interface ProviderAdapter {
  readonly provider: ProviderKind;
  readonly capabilities: ProviderCapabilities;
  /** Called on the request path, before parsing. Pure and constant-time; must not do network calls. */
  verify(webhook: RawWebhook, now?: Date): VerifyResult;
  /** Called after `verify` succeeded. Pure; returns `ignored` events for what the bridge does not carry. */
  normalise(webhook: RawWebhook): InboundEvent[];
  /**
   * Called from activities only, with one part of a reply: a text (which the adapter may split into several provider
   * messages), or one file with the text as its caption. Throws ProviderError. `idempotencyKey` names this send across
   * the
   * bridge (the HubSpot message id and part), so two identical replies are not deduplicated by
   * providers that key on content (generic); others ignore it.
   *
   * `onlyPiece` asks for one provider message of the ones this message becomes (a long text's pieces, then its files,
   * in send order, as counted in the ids the first send returned): the one the provider later reported failed and said
   * may be sent again. Adapters whose receipts ask for such a resend (`resendAfterSeconds`) honour it.
   */
  send?(message: OutboundMessage, options?: SendOptions): Promise<SendResult>;
  /**
   * Called from activities only, for a part whose receipt said the customer's window had closed (`windowClosed`):
   * sends it the way the provider allows outside the window (WhatsApp: the configured template), or throws a final
   * ProviderError whose reason tells the rep why. Providers without such a window have none.
   */
  sendOutsideWindow?(message: OutboundMessage): Promise<SendResult>;
  /** Called from activities only, with a ref from `normalise`. Throws ProviderError. */
  fetchMedia?(media: InboundMedia): Promise<MediaBlob>;
  /** Called on GET of the webhook URL, for providers that verify subscriptions that way. */
  handshake?(query: Readonly<Record<string, unknown>>): HandshakeResult;
}

/**
 * Gives an outbound file a short-lived public URL the provider downloads it from (src/media-links/): for providers
 * that take files by URL only (Twilio MMS) or above an inline limit (generic).
 */
export type MediaUrlSigner = (attachment: OutboundAttachment) => Promise<string>;

/** The fetch every adapter receives, so tests and sandboxes can point it anywhere. */
export type HttpFetch = typeof fetch;
