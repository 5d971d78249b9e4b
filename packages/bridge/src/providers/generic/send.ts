import { createHash } from 'node:crypto';
import {
  ProviderError,
  type HttpFetch,
  type MediaUrlSigner,
  type OutboundAttachment,
  type OutboundMessage,
  type SendResult,
} from '../types.js';
import { refusalFor, type AddressPolicy } from '../../net/address-policy.js';
import { forbiddenAddressCause } from '../../net/guarded-connect.js';
import { formattedHtml } from './formatted.js';
import { retryAfterSeconds } from './retry-after.js';
import { signStandardWebhook } from './verify.js';
import { genericMessageSchema, INLINE_MAX_BYTES, type GenericAttachment } from './wire-types.js';

/**
 * A reply as the generic adapter takes it: `text` is plain (the adapter's textFormat), and `richText` is the rep's
 * HubSpot rich text as written, which goes to the connector as the sanitised `formatted` body.
 */
export type GenericOutboundMessage = OutboundMessage & { readonly richText?: string };

/** Gives an outbound attachment a short-lived URL the connector can download it from. */
export type { MediaUrlSigner } from '../types.js';

export interface SendOptions extends AddressPolicy {
  readonly accountId: string;
  readonly signingSecret: string;
  readonly callbackUrl?: string;
  readonly fetch: HttpFetch;
  readonly mediaUrlFor?: MediaUrlSigner;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

export interface SendCallOptions {
  /**
   * What makes this send unique across the bridge, e.g. the HubSpot message id. Without it the id
   * comes from the content alone, so two identical replies to one chat would share a webhook-id.
   */
  readonly idempotencyKey?: string;
}

/**
 * `msg_` + 32 hex chars of a SHA-256 over what is sent, so a retried activity signs the same
 * webhook-id and the connector can drop the duplicate. Also the bridge's `messageId` for receipts. `richText` is left
 * out: it restates `text`, and leaving it out keeps the id an activity began with across the release that added it.
 */
export function outboundEventId(message: OutboundMessage, idempotencyKey?: string): string {
  const hash = createHash('sha256');
  const part = (value: string) => hash.update(`${value.length}:${value}|`);
  part(idempotencyKey ?? '');
  part(message.chatId);
  part(message.text ?? '');
  part(message.replyToProviderMessageId ?? '');
  for (const a of message.attachments) {
    part(a.kind);
    part(a.contentType);
    part(a.filename);
    part(createHash('sha256').update(a.data).digest('hex'));
  }
  return `msg_${hash.digest('hex').slice(0, 32)}`;
}

async function toWireAttachment(a: OutboundAttachment, signer: MediaUrlSigner | undefined): Promise<GenericAttachment> {
  const base = { kind: a.kind, contentType: a.contentType, filename: a.filename, sizeBytes: a.data.length };
  // Inline when it fits, so small files need no second request; a signed URL only above the inline limit.
  if (a.data.length <= INLINE_MAX_BYTES) return { ...base, dataBase64: a.data.toString('base64') };
  if (signer) return { ...base, url: await signer(a) };
  throw new ProviderError(
    `the attachment ${a.filename} is ${a.data.length} bytes; files over ${INLINE_MAX_BYTES} bytes go to the connector as signed media URLs, and no media URL signer is configured`,
    { retryable: false, code: 'media_url_signer_missing' },
  );
}

async function connectorReason(response: Response): Promise<string> {
  const text = (await response.text().catch(() => '')).trim();
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const reason = parsed.error ?? parsed.message;
    if (typeof reason === 'string' && reason) return reason.slice(0, 500);
  } catch {
    // not JSON: use the text itself
  }
  return text.slice(0, 500) || response.statusText || 'no reason given';
}

async function acceptedId(response: Response, fallback: string): Promise<string> {
  try {
    const body = (await response.json()) as { messageId?: unknown };
    if (typeof body?.messageId === 'string' && body.messageId) return body.messageId;
  } catch {
    // an empty or non-JSON 2xx is still success
  }
  return fallback;
}

/** Maps the connector's answer onto SendResult or a ProviderError that says whether retrying helps. */
async function mapAnswer(response: Response, eventId: string): Promise<SendResult> {
  const { status } = response;
  if (status >= 200 && status < 300) return { providerMessageIds: [await acceptedId(response, eventId)] };
  if (status === 410) {
    await response.body?.cancel();
    return Promise.reject(
      new ProviderError(
        'the connector disabled this endpoint (HTTP 410 Gone); it accepts no more messages until it is reconnected',
        { retryable: false, code: 410 },
      ),
    );
  }
  if (status === 408 || status === 429 || status >= 500) {
    const wait = retryAfterSeconds(response.headers.get('retry-after'));
    const reason = await connectorReason(response);
    return Promise.reject(
      new ProviderError(`the connector answered HTTP ${status} (${reason}); will retry`, {
        retryable: true,
        code: status,
        retryAfterSeconds: wait,
      }),
    );
  }
  if (status >= 300 && status < 400) {
    await response.body?.cancel();
    return Promise.reject(
      new ProviderError(
        `the connector answered HTTP ${status} (a redirect to ${response.headers.get('location') ?? 'nowhere'}); its callbackUrl must be the final address`,
        { retryable: false, code: status },
      ),
    );
  }
  return Promise.reject(
    new ProviderError(`the connector refused the message (HTTP ${status}): ${await connectorReason(response)}`, {
      retryable: false,
      code: status,
    }),
  );
}

/**
 * Delivers a rep's reply as a Standard Webhooks-signed `message.created` POSTed to the connector's
 * callbackUrl. Never follows redirects; the callbackUrl passes the same address policy as media URLs.
 */
export async function sendGenericMessage(
  message: GenericOutboundMessage,
  options: SendOptions,
  call: SendCallOptions = {},
): Promise<SendResult> {
  if (!options.callbackUrl) {
    throw new ProviderError(
      'this generic account has no callbackUrl, so replies cannot be delivered; set one in the account settings',
      { retryable: false, code: 'no_callback_url' },
    );
  }
  const url = new URL(options.callbackUrl);
  const refusal = await refusalFor(url, options);
  if (refusal)
    throw new ProviderError(`the callbackUrl ${url.href} is refused: ${refusal}`, {
      retryable: false,
      code: 'forbidden_address',
    });

  const eventId = outboundEventId(message, call.idempotencyKey);
  const now = (options.now ?? (() => new Date()))();
  const attachments = [];
  for (const a of message.attachments) attachments.push(await toWireAttachment(a, options.mediaUrlFor));
  // Formatting rides only beside text that says the same, so a connector that ignores it loses nothing.
  const formatted = message.text?.trim() ? formattedHtml(message.richText) : undefined;
  const data = {
    messageId: eventId,
    threadKey: message.chatId,
    sender: { id: `bridge:${options.accountId}` },
    ...(message.text ? { text: message.text } : {}),
    ...(formatted ? { formatted } : {}),
    attachments,
    ...(message.replyToProviderMessageId ? { inReplyTo: message.replyToProviderMessageId } : {}),
    sentAt: now.toISOString(),
  };
  const checked = genericMessageSchema.safeParse(data);
  if (!checked.success) {
    const reason = checked.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ');
    throw new ProviderError(`the reply cannot be expressed as a generic message: ${reason}`, {
      retryable: false,
      code: 'invalid_message',
    });
  }
  const body = JSON.stringify({ type: 'message.created', timestamp: now.toISOString(), data });
  const timestamp = Math.floor(now.getTime() / 1000);
  const timeoutMs = options.timeoutMs ?? 15_000;

  let response: Response;
  try {
    response = await options.fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'webhook-id': eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signStandardWebhook(options.signingSecret, eventId, timestamp, body),
      },
      body,
    });
  } catch (error) {
    const forbidden = forbiddenAddressCause(error);
    if (forbidden)
      throw new ProviderError(`the callbackUrl ${url.href} is refused: ${forbidden.message}`, {
        retryable: false,
        code: 'forbidden_address',
        cause: error,
      });
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new ProviderError(
        `the connector did not answer within ${timeoutMs / 1000}s; it may have the message already, and a retry reuses webhook-id ${eventId} so it can drop the duplicate`,
        { retryable: true, code: 'timeout', cause: error },
      );
    }
    throw new ProviderError(`could not reach the connector at ${url.href}: ${(error as Error).message}`, {
      retryable: true,
      code: 'network',
      cause: error,
    });
  }
  return mapAnswer(response, eventId);
}
