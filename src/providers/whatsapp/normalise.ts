import { asProviderMessageId, conversationKey, type AccountId } from '../../domain/ids.js';
import type { InboundMedia, MediaKind } from '../../domain/messages.js';
import { InvalidPayloadError, type InboundEvent, type RawWebhook, type ReceiptStatus } from '../types.js';
import { describeIssues, parseJsonBody } from '../parse.js';
import { reasonForStatusError } from './errors.js';
import { describeContacts, describeLocation, toCanonicalContact, toCanonicalLocation } from './shared-content.js';
import { waEnvelopeSchema, waMessageSchema, waStatusSchema, waValueSchema, type WaMessage, type WaValue } from './wire-types.js';
import type { z } from 'zod';

export interface NormaliseConfig {
  readonly accountId: AccountId;
  /** Envelopes for any other phone number of the same app are not this account's. */
  readonly phoneNumberId: string;
}


function parse<T extends z.ZodTypeAny>(schema: T, value: unknown, at: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidPayloadError(describeIssues(result.error, at));
  return result.data;
}


/** WhatsApp statuses → the bridge's; `played` (voice notes, since 2026-03) means the customer heard it. */
const STATUS: Readonly<Record<string, ReceiptStatus>> = { sent: 'sent', delivered: 'delivered', read: 'read', played: 'read', failed: 'failed' };

const IGNORED: Readonly<Record<string, string>> = {
  reaction: 'reactions are not carried to HubSpot',
  system: 'system messages (e.g. the customer changed number) are not carried to HubSpot',
  button: 'template button replies are not carried yet',
  interactive: 'interactive replies are not carried yet',
  order: 'catalogue orders are not carried',
  request_welcome: 'welcome requests carry no content',
};

/** The media part of a message: which canonical kind it is and where to fetch it again. */
function mediaOf(m: WaMessage, at: string): { media: InboundMedia; caption?: string } | undefined {
  const item = (kind: MediaKind, payload: { id: string; mime_type: string; caption?: string }, filename?: string) => ({
    media: { kind, contentType: payload.mime_type, filename, ref: payload.id },
    caption: payload.caption,
  });
  const need = <T>(value: T | undefined, field: string): T => {
    if (value === undefined) throw new InvalidPayloadError(`${at}: type is "${m.type}" but "${field}" is missing`);
    return value;
  };
  switch (m.type) {
    case 'image':
      return item('image', need(m.image, 'image'));
    case 'audio': {
      const audio = need(m.audio, 'audio');
      return item(audio.voice ? 'voice' : 'audio', audio);
    }
    case 'video':
      return item('video', need(m.video, 'video'));
    case 'sticker':
      return item('sticker', need(m.sticker, 'sticker'));
    case 'document': {
      const document = need(m.document, 'document');
      return item('file', document, document.filename);
    }
    default:
      return undefined;
  }
}

function textOf(m: WaMessage, at: string): string | undefined {
  if (m.type === 'text') {
    if (!m.text) throw new InvalidPayloadError(`${at}: type is "text" but "text" is missing`);
    return m.text.body;
  }
  if (m.type === 'location') {
    if (!m.location) throw new InvalidPayloadError(`${at}: type is "location" but "location" is missing`);
    return describeLocation(m.location);
  }
  if (m.type === 'contacts') {
    if (!m.contacts) throw new InvalidPayloadError(`${at}: type is "contacts" but "contacts" is missing`);
    return describeContacts(m.contacts);
  }
  return undefined;
}

function messageEvent(config: NormaliseConfig, value: WaValue, raw: unknown, at: string): InboundEvent {
  const m = parse(waMessageSchema, raw, at);
  if (Object.hasOwn(IGNORED, m.type)) return { kind: 'ignored', code: 'message-type', reason: `${m.type} ${m.id}: ${IGNORED[m.type]}` };
  if (m.type === 'unsupported' || m.type === 'unknown') {
    return { kind: 'ignored', code: 'unsupported', reason: `${m.id}: the customer sent something WhatsApp does not support (${m.errors?.[0]?.code ?? 'no code'})` };
  }
  const media = mediaOf(m, at);
  const text = media ? media.caption : textOf(m, at);
  if (!media && text === undefined) return { kind: 'ignored', code: 'message-type', reason: `${m.id}: message type "${m.type}" is not one the bridge carries` };

  const profile = value.contacts?.find((c) => c.wa_id === m.from) ?? value.contacts?.[0];
  return {
    kind: 'message',
    message: {
      accountId: config.accountId,
      provider: 'whatsapp',
      providerMessageId: asProviderMessageId(m.id),
      providerChatId: m.from,
      conversationKey: conversationKey(config.accountId, m.from),
      sender: { id: m.from, name: profile?.profile?.name, phone: `+${m.from}` },
      text: text ?? '',
      media: media ? [media.media] : [],
      replyToProviderMessageId: m.context?.id,
      sentAt: new Date(Number(m.timestamp) * 1000).toISOString(),
      // The canonical fields become HubSpot LOCATION / CONTACT attachments; the text keeps every field too.
      ...(m.type === 'location' && m.location ? { location: toCanonicalLocation(m.location) } : {}),
      ...(m.type === 'contacts' && m.contacts ? { contacts: m.contacts.map((c) => toCanonicalContact(c as Record<string, unknown>)) } : {}),
    },
  };
}

function statusEvent(raw: unknown, at: string): InboundEvent {
  const s = parse(waStatusSchema, raw, at);
  const status = Object.hasOwn(STATUS, s.status) ? STATUS[s.status] : undefined;
  if (!status) return { kind: 'ignored', code: 'status', reason: `status "${s.status}" of ${s.id} is not one the bridge maps` };
  if (status !== 'failed') return { kind: 'receipt', providerMessageId: s.id, status };
  return { kind: 'receipt', providerMessageId: s.id, status, reason: reasonForStatusError(s.errors?.[0]) };
}

/**
 * Parses a verified webhook: `entry[].changes[].value` into messages, receipts and ignored events, in
 * the order Meta listed them. Throws InvalidPayloadError for anything Meta could not have sent.
 */
export function normaliseWhatsAppWebhook(config: NormaliseConfig, webhook: RawWebhook): InboundEvent[] {
  const envelope = parse(waEnvelopeSchema, parseJsonBody(webhook.body), '');
  const events: InboundEvent[] = [];
  envelope.entry.forEach((entry, e) => {
    entry.changes.forEach((change, c) => {
      const at = `entry.${e}.changes.${c}.value`;
      if (change.field !== 'messages') {
        events.push({ kind: 'ignored', code: 'field', reason: `webhook field "${change.field}" is not one the bridge carries` });
        return;
      }
      const value = parse(waValueSchema, change.value, at);
      if (value.metadata.phone_number_id !== config.phoneNumberId) {
        events.push({ kind: 'ignored', code: 'other-number', reason: `for phone number ${value.metadata.phone_number_id}, not this account's ${config.phoneNumberId}` });
        return;
      }
      value.messages?.forEach((m, i) => events.push(messageEvent(config, value, m, `${at}.messages.${i}`)));
      value.statuses?.forEach((s, i) => events.push(statusEvent(s, `${at}.statuses.${i}`)));
      if (!value.messages?.length && !value.statuses?.length) events.push({ kind: 'ignored', code: 'empty-change', reason: `${at} has no messages or statuses` });
    });
  });
  // Meta never sends an empty envelope; acknowledge one (a retry would not fix it), but say so in the log.
  return events.length > 0 ? events : [{ kind: 'ignored', code: 'no-entries', reason: 'the webhook lists no entry with changes' }];
}
