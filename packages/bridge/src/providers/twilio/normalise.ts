import { asProviderMessageId, conversationKey, type AccountId } from '../../domain/ids.js';
import type { InboundMedia, MediaKind } from '../../domain/messages.js';
import {
  ignoredEvent as ignored,
  InvalidPayloadError,
  type InboundEvent,
  type RawWebhook,
  type ReceiptStatus,
} from '../types.js';
import { describeIssues } from '../parse.js';
import { knownTwilioCode } from './error-codes.js';
import { TWILIO } from './limits.js';
import { OPT_OUT_NOTES, optOutTypeOf } from './opt-out.js';
import { parseForm, twilioInboundSchema, twilioStatusSchema, type TwilioParams } from './wire-types.js';

export interface NormaliseConfig {
  readonly accountId: AccountId;
  /**
   * Twilio's incoming-message webhook carries no send time (INFERRED from its parameter list), so receipt time stands
   * in.
   */
  readonly now: () => Date;
}

/**
 * Twilio's message statuses → the bridge's; the ones before `sent` (queued, sending, accepted, scheduled) say nothing a
 * rep needs.
 */
const STATUS: Readonly<Record<string, ReceiptStatus>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  undelivered: 'failed',
};

function kindOf(contentType: string | undefined): MediaKind {
  const type = contentType?.split('/')[0];
  if (type === 'image' || type === 'video' || type === 'audio') return type;
  return 'file';
}

/** `MediaUrl{N}` is the ref: fetchMedia downloads it with the account's credentials. */
function mediaOf(params: TwilioParams, count: number): InboundMedia[] {
  const media: InboundMedia[] = [];
  for (let n = 0; n < count; n++) {
    const url = params[`MediaUrl${n}`];
    if (!url) throw new InvalidPayloadError(`NumMedia is ${count} but MediaUrl${n} is missing`);
    const contentType = params[`MediaContentType${n}`];
    media.push({ kind: kindOf(contentType), ref: url, ...(contentType ? { contentType } : {}) });
  }
  return media;
}

function receipt(params: TwilioParams): InboundEvent {
  const parsed = twilioStatusSchema.safeParse(params);
  if (!parsed.success) throw new InvalidPayloadError(`status callback: ${describeIssues(parsed.error)}`);
  const { MessageSid, MessageStatus, ErrorCode } = parsed.data;
  const status = STATUS[MessageStatus];
  if (!status)
    return ignored(
      'status-progress',
      `message ${MessageSid} is ${MessageStatus}; only sent, delivered, read and failures are receipts`,
    );
  if (status !== 'failed') return { kind: 'receipt', providerMessageId: MessageSid, status };
  const code = ErrorCode ? Number(ErrorCode) : undefined;
  const reason =
    knownTwilioCode(Number.isFinite(code) ? code : undefined)?.reason ??
    `Twilio reports the message ${MessageStatus}${ErrorCode ? ` (Twilio error ${ErrorCode})` : ''}`;
  return { kind: 'receipt', providerMessageId: MessageSid, status, reason, ...(ErrorCode ? { code: ErrorCode } : {}) };
}

function message(config: NormaliseConfig, params: TwilioParams): InboundEvent {
  const parsed = twilioInboundSchema.safeParse(params);
  if (!parsed.success) throw new InvalidPayloadError(`incoming message: ${describeIssues(parsed.error)}`);
  const m = parsed.data;
  const optOut = optOutTypeOf(m.Body, m.OptOutType);
  const text = optOut ? [m.Body, OPT_OUT_NOTES[optOut]].filter(Boolean).join('\n') : m.Body;
  const providerChatId = m.From;
  return {
    kind: 'message',
    message: {
      accountId: config.accountId,
      provider: TWILIO,
      providerMessageId: asProviderMessageId(m.MessageSid),
      providerChatId,
      conversationKey: conversationKey(config.accountId, providerChatId),
      sender: { id: m.From, phone: m.From, ...(m.ProfileName ? { name: m.ProfileName } : {}) },
      text,
      media: mediaOf(params, Number(m.NumMedia)),
      sentAt: config.now().toISOString(),
    },
  };
}

/**
 * One webhook → one event. The same URL takes incoming messages and status callbacks (the bridge sets it as both);
 * a status callback is told apart by `MessageStatus` other than `received` (an incoming message's `SmsStatus`).
 */
export function normaliseTwilioWebhook(config: NormaliseConfig, webhook: RawWebhook): InboundEvent[] {
  const contentType = String(webhook.headers['content-type'] ?? '').toLowerCase();
  // Messaging webhooks are forms; JSON ones come from other Twilio products (Event Streams, Conversations).
  if (contentType.startsWith('application/json'))
    return [ignored('json-webhook', 'a JSON webhook: Twilio sends SMS and MMS events as forms')];
  const params = parseForm(webhook.body);
  const status = params.MessageStatus;
  if (status && status !== 'received' && status !== 'receiving') return [receipt(params)];
  return [message(config, params)];
}
