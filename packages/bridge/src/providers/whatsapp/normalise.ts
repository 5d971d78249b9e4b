import { asProviderMessageId, conversationKey, type AccountId } from '../../domain/ids.js';
import type { ContactCard, InboundMedia, MediaKind, SharedLocation } from '../../domain/messages.js';
import {
  ignoredEvent as ignored,
  InvalidPayloadError,
  type IgnoredEvent,
  type InboundEvent,
  type RawWebhook,
  type ReceiptStatus,
} from '../types.js';
import { describeIssues, parseJsonBody, workflowIdPart } from '../parse.js';
import { reasonForStatusError, resendDelaySecondsFor } from './errors.js';
import {
  buttonText,
  EDIT_NOTE,
  forwardedNote,
  identityNote,
  interactiveText,
  metaErrorSummary,
  orderText,
  reactionText,
  referralNote,
  referredProductNote,
  REQUEST_WELCOME_TEXT,
  REVOKE_TEXT,
  systemText,
  unsupportedText,
} from './inbound-notes.js';
import { describeContacts, describeLocation, toCanonicalContact, toCanonicalLocation } from './shared-content.js';
import {
  waEntrySchema,
  waEnvelopeSchema,
  waMessageSchema,
  waStatusSchema,
  waValueSchema,
  type WaMessage,
  type WaMessageContent,
  type WaValue,
} from './wire-types.js';

export interface NormaliseConfig {
  readonly accountId: AccountId;
  /** Envelopes for any other phone number of the same app are not this account's. */
  readonly phoneNumberId: string;
}

/** WhatsApp statuses → the bridge's; `played` (voice notes, since 2026-03) means the customer heard it. */
const STATUS: Readonly<Record<string, ReceiptStatus>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  played: 'read',
  failed: 'failed',
};

/**
 * Statuses Meta documents that have no receipt: `deleted` (the customer deleted a message of theirs; the
 * Cloud API is not known to send it) and `warning` (an item of a catalog message is unavailable) [INFERRED
 * from the On-Premises API's status list]. Any other unknown status is ignored as `status`.
 */
const UNMAPPED_STATUS_CODE: Readonly<Record<string, string>> = { deleted: 'status-deleted', warning: 'status-warning' };

/** What one message says, in canonical parts. */
interface Content {
  readonly text: string;
  readonly media?: InboundMedia;
  readonly location?: SharedLocation;
  readonly contacts?: readonly ContactCard[];
  /** The message this one points at: a reaction's target, an edit's or deletion's original. */
  readonly replyTo?: string;
}

const MEDIA_KIND: Readonly<Record<string, MediaKind>> = {
  image: 'image',
  video: 'video',
  sticker: 'sticker',
  document: 'file',
  audio: 'audio',
};

/**
 * A type without its own object: Meta's `errors` say why (e.g. the media could not be downloaded); without them it is
 * malformed.
 */
const missing = (c: WaMessageContent): Content | string =>
  c.errors?.length ? { text: unsupportedText(c.errors) } : `type is "${c.type}" but "${c.type}" is missing`;

function mediaContent(c: WaMessageContent): Content | string {
  const payload = c[c.type as 'image' | 'video' | 'sticker' | 'document' | 'audio'];
  if (!payload) return missing(c);
  const kind = c.type === 'audio' && c.audio?.voice ? 'voice' : MEDIA_KIND[c.type]!;
  const filename = c.type === 'document' ? c.document?.filename : undefined;
  return { text: payload.caption ?? '', media: { kind, contentType: payload.mime_type, filename, ref: payload.id } };
}

/** The content of a message, or why it is malformed (its type's own object is missing). */
function contentOf(c: WaMessageContent): Content | string {
  const need = <T>(value: T | undefined, make: (v: T) => Content): Content | string =>
    value === undefined ? missing(c) : make(value);
  if (Object.hasOwn(MEDIA_KIND, c.type)) return mediaContent(c);
  switch (c.type) {
    case 'text':
      return need(c.text, (t) => ({ text: t.body }));
    case 'location':
      // The canonical field becomes a HubSpot LOCATION attachment; the text keeps every field too.
      return need(c.location, (l) => ({ text: describeLocation(l), location: toCanonicalLocation(l) }));
    case 'contacts':
      return need(c.contacts, (cards) => ({
        text: describeContacts(cards),
        contacts: cards.map((card) => toCanonicalContact(card as Record<string, unknown>)),
      }));
    case 'reaction':
      return need(c.reaction, (r) => ({ text: reactionText(r), replyTo: r.message_id }));
    case 'button':
      return need(c.button, (b) => ({ text: buttonText(b) }));
    case 'interactive':
      return need(c.interactive, (i) => ({ text: interactiveText(i) }));
    case 'order':
      return need(c.order, (o) => ({ text: orderText(o) }));
    case 'system':
      return need(c.system, (s) => ({ text: systemText(s) }));
    case 'request_welcome':
      return { text: REQUEST_WELCOME_TEXT };
    case 'unsupported':
    case 'unknown':
      return { text: unsupportedText(c.errors) };
    default:
      // A type newer than this code: say so in the thread rather than lose it.
      return {
        text: c.errors?.length
          ? unsupportedText(c.errors)
          : `[sent a WhatsApp "${c.type}" message this inbox cannot show]`,
      };
  }
}

/** Edits and deletions point at the original message; everything else is its own content. */
function messageContent(m: WaMessage): Content | string {
  if (m.type === 'revoke')
    return m.revoke
      ? { text: REVOKE_TEXT, replyTo: m.revoke.original_message_id }
      : 'type is "revoke" but "revoke" is missing';
  if (m.type !== 'edit') return contentOf(m);
  if (!m.edit) return 'type is "edit" but "edit" is missing';
  const edited = contentOf(m.edit.message);
  if (typeof edited === 'string') return `edit.message: ${edited}`;
  return { ...edited, text: [EDIT_NOTE, edited.text].filter(Boolean).join('\n'), replyTo: m.edit.original_message_id };
}

type WaContact = NonNullable<WaValue['contacts']>[number];

/** The shapes `from` and `from_user_id` are held to (wire-types.ts), for the same ids read from `contacts[]`. */
const PHONE_ID = /^\d{5,20}$/;
const userIdSchema = workflowIdPart();

/**
 * The customer's chat id and the other id Meta names them by. A customer is known by phone number (`from`,
 * `contacts[].wa_id`) and by business-scoped user id (BSUID: `from_user_id`, `contacts[].user_id`); a customer with a
 * username may come with the BSUID only
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids
 * [INFERRED URL: the page was read through copies of Meta's 'Business-scoped user IDs' document]). The phone number is
 * the chat id whenever Meta sends it, so threads begun before BSUIDs keep their key; the other id, from the message or
 * from the contact that names the same customer, is reported so the api keeps one conversation for a customer who comes
 * by either (src/api/start-inbound.ts). Always set, even empty: any WhatsApp customer may later come by the other id.
 */
function customerIds(m: WaMessage, named: WaContact | undefined): { chatId: string; alternateChatIds: string[] } {
  const phone = m.from ?? (named?.wa_id && PHONE_ID.test(named.wa_id) ? named.wa_id : undefined);
  const userId =
    m.from_user_id ?? (named?.user_id && userIdSchema.safeParse(named.user_id).success ? named.user_id : undefined);
  const chatId = (m.from ?? m.from_user_id)!;
  return { chatId, alternateChatIds: [phone, userId].filter((id): id is string => id !== undefined && id !== chatId) };
}

function messageEvent(config: NormaliseConfig, value: WaValue, raw: unknown, at: string): InboundEvent {
  const parsed = waMessageSchema.safeParse(raw);
  if (!parsed.success) return ignored('malformed', describeIssues(parsed.error, at));
  const m = parsed.data;
  // Groups need a group recipient on the way back, which the bridge does not send.
  if (m.group_id) return ignored('group', `${m.id}: a message in WhatsApp group ${m.group_id}; groups are not carried`);
  const content = messageContent(m);
  if (typeof content === 'string') return ignored('malformed', `${at}: ${content}`);

  const named = value.contacts?.find(
    (c) => (m.from && c.wa_id === m.from) || (m.from_user_id && c.user_id === m.from_user_id),
  );
  const { chatId, alternateChatIds } = customerIds(m, named);
  // Another customer's name must never land on this one: fall back to the only contact, never to the first of several.
  const contact = named ?? (value.contacts?.length === 1 ? value.contacts[0] : undefined);
  const forwarded = forwardedNote(m.context);
  const body = forwarded ? [forwarded, content.text].filter(Boolean).join(' ') : content.text;
  const text = [body, referralNote(m.referral), referredProductNote(m.context), identityNote(m.identity)]
    .filter((part) => part && part.trim() !== '')
    .join('\n');
  const replyTo = content.replyTo ?? m.context?.id;
  return {
    kind: 'message',
    message: {
      accountId: config.accountId,
      provider: 'whatsapp',
      providerMessageId: asProviderMessageId(m.id),
      providerChatId: chatId,
      conversationKey: conversationKey(config.accountId, chatId),
      alternateChatIds,
      sender: {
        id: chatId,
        name: contact?.profile?.name ?? contact?.profile?.username,
        ...(m.from ? { phone: `+${m.from}` } : {}),
      },
      text,
      media: content.media ? [content.media] : [],
      replyToProviderMessageId: replyTo,
      sentAt: new Date(Number(m.timestamp) * 1000).toISOString(),
      ...(content.location ? { location: content.location } : {}),
      ...(content.contacts ? { contacts: content.contacts } : {}),
    },
  };
}

function statusEvent(raw: unknown, at: string): InboundEvent {
  const parsed = waStatusSchema.safeParse(raw);
  if (!parsed.success) return ignored('malformed', describeIssues(parsed.error, at));
  const s = parsed.data;
  const status = Object.hasOwn(STATUS, s.status) ? STATUS[s.status] : undefined;
  if (!status) {
    const why = s.errors?.length ? ` (${metaErrorSummary(s.errors)})` : '';
    return ignored(
      Object.hasOwn(UNMAPPED_STATUS_CODE, s.status) ? UNMAPPED_STATUS_CODE[s.status]! : 'status',
      `status "${s.status}" of ${s.id} is not one the bridge maps${why}`,
    );
  }
  if (status !== 'failed') return { kind: 'receipt', providerMessageId: s.id, status };
  const code = s.errors?.[0]?.code;
  const resendAfterSeconds = resendDelaySecondsFor(code);
  return {
    kind: 'receipt',
    providerMessageId: s.id,
    status,
    reason: reasonForStatusError(s.errors?.[0]),
    ...(code !== undefined ? { code } : {}),
    // "Re-engagement message": sent after the customer's 24-hour window closed; a template may still go.
    ...(code === 131047 ? { windowClosed: true } : {}),
    ...(resendAfterSeconds !== undefined ? { resendAfterSeconds } : {}),
  };
}

function changeEvents(config: NormaliseConfig, change: { field: string; value?: unknown }, at: string): InboundEvent[] {
  if (change.field !== 'messages')
    return [ignored('field', `webhook field "${change.field}" is not one the bridge carries`)];
  const parsed = waValueSchema.safeParse(change.value);
  if (!parsed.success) return [ignored('malformed', describeIssues(parsed.error, at))];
  const value = parsed.data;
  if (value.metadata.phone_number_id !== config.phoneNumberId) {
    return [
      ignored(
        'other-number',
        `for phone number ${value.metadata.phone_number_id}, not this account's ${config.phoneNumberId}`,
      ),
    ];
  }
  const events = [
    ...(value.messages ?? []).map((m, i) => messageEvent(config, value, m, `${at}.messages.${i}`)),
    ...(value.statuses ?? []).map((s, i) => statusEvent(s, `${at}.statuses.${i}`)),
  ];
  if (events.length > 0) return events;
  // Meta reports some failures of its own in `value.errors`, with no message or status.
  if (value.errors?.length)
    return [ignored('webhook-error', `${at}: WhatsApp reported ${metaErrorSummary(value.errors)}`)];
  return [ignored('empty-change', `${at} has no messages or statuses`)];
}

/**
 * Parses a verified webhook: `entry[].changes[].value` into messages, receipts and ignored events, in
 * the order Meta listed them. Each item stands alone: a malformed one becomes an `ignored` event with
 * code `malformed` and the others are carried, because refusing the body would make Meta retry the
 * same refusal for days and lose the good items with it. Throws InvalidPayloadError only for a body
 * that is not a WhatsApp webhook at all.
 */
export function normaliseWhatsAppWebhook(config: NormaliseConfig, webhook: RawWebhook): InboundEvent[] {
  const envelope = waEnvelopeSchema.safeParse(parseJsonBody(webhook.body));
  if (!envelope.success) throw new InvalidPayloadError(describeIssues(envelope.error));
  const events: InboundEvent[] = [];
  envelope.data.entry.forEach((rawEntry, e) => {
    const entry = waEntrySchema.safeParse(rawEntry);
    if (!entry.success) return void events.push(ignored('malformed', describeIssues(entry.error, `entry.${e}`)));
    entry.data.changes.forEach((change, c) =>
      events.push(...changeEvents(config, change, `entry.${e}.changes.${c}.value`)),
    );
  });
  // Meta never sends an empty envelope; acknowledge one (a retry would not fix it), but say so in the log.
  return events.length > 0 ? foldMalformed(events) : [ignored('no-entries', 'the webhook lists no entry with changes')];
}

/** Enough malformed items to see what is wrong; each one is a log line, and a forged body could list thousands. */
const MAX_MALFORMED_REPORTED = 5;

/** Keeps the first few malformed items and folds the rest into one event that says how many there were. */
function foldMalformed(events: InboundEvent[]): InboundEvent[] {
  const malformed = events.filter((e) => e.kind === 'ignored' && e.code === 'malformed');
  if (malformed.length <= MAX_MALFORMED_REPORTED) return events;
  const dropped = new Set(malformed.slice(MAX_MALFORMED_REPORTED));
  const kept = events.filter((e) => !dropped.has(e));
  return [
    ...kept,
    ignored(
      'malformed',
      `and ${dropped.size} more malformed items, first: ${(malformed[MAX_MALFORMED_REPORTED] as IgnoredEvent).reason}`,
    ),
  ];
}
