import { asProviderMessageId, conversationKey, type AccountId } from '../../domain/ids.js';
import type { ContactCard, InboundMedia, InboundMessage, SharedLocation } from '../../domain/messages.js';
import { InvalidPayloadError, type InboundEvent, type RawWebhook } from '../types.js';
import { describeIssues, parseJsonBody } from '../parse.js';
import { formattedHtml } from './formatted.js';
import { genericEnvelopeSchema, genericMessageSchema, genericStatusSchema, type GenericMessage } from './wire-types.js';

/**
 * A customer's message with the connector's formatting, sanitised to the contract's subset, as `richText`: HubSpot
 * shows it in place of `text` (the HubSpot egg's `richText`). Absent when the connector sent none.
 */
export type GenericInboundMessage = InboundMessage & { readonly richText?: string };

function toMedia(message: GenericMessage): InboundMedia[] {
  return message.attachments.map((a, index) => ({
    kind: a.kind,
    contentType: a.contentType,
    filename: a.filename,
    sizeBytes: a.sizeBytes ?? (a.dataBase64 ? Math.floor((a.dataBase64.length * 3) / 4) : undefined),
    // Inline bytes stay out of workflow history; the ref says where they were.
    ref: a.url ?? `inline:${index}`,
  }));
}

/** The contract's location and contact cards in the bridge's shared shapes, with a line of text for each. */
function sharedContent(m: GenericMessage): { location?: SharedLocation; contacts: ContactCard[]; description: string } {
  const location = m.location
    ? {
        latitude: m.location.latitude,
        longitude: m.location.longitude,
        ...(m.location.name ? { name: m.location.name } : {}),
        ...(m.location.address ? { address: m.location.address } : {}),
      }
    : undefined;
  const contacts = (m.contacts ?? []).map((c): ContactCard => ({
    name: { formattedName: c.name },
    phones: c.phones.map((phone) => ({ phone })),
    emails: c.emails.map((email) => ({ email })),
    addresses: [],
    urls: [],
  }));
  const lines = [
    ...(location
      ? [
          `📍 ${[location.name, location.address, `${location.latitude}, ${location.longitude}`].filter(Boolean).join(' · ')}`,
        ]
      : []),
    ...contacts.map(
      (c) =>
        `👤 ${[c.name.formattedName, ...c.phones.map((p) => p.phone), ...c.emails.map((e) => e.email)].join(' · ')}`,
    ),
  ];
  return { ...(location ? { location } : {}), contacts, description: lines.join('\n') };
}

export function normaliseGenericWebhook(accountId: AccountId, webhook: RawWebhook): InboundEvent[] {
  const envelope = genericEnvelopeSchema.safeParse(parseJsonBody(webhook.body));
  if (!envelope.success) throw new InvalidPayloadError(describeIssues(envelope.error));
  const { type, data } = envelope.data;

  if (type === 'message.created') {
    const parsed = genericMessageSchema.safeParse(data);
    if (!parsed.success) throw new InvalidPayloadError(`data: ${describeIssues(parsed.error)}`);
    const m = parsed.data;
    const richText = formattedHtml(m.formatted?.body)?.body;
    const shared = sharedContent(m);
    const message: GenericInboundMessage = {
      accountId,
      provider: 'generic',
      providerMessageId: asProviderMessageId(m.messageId),
      providerChatId: m.threadKey,
      conversationKey: conversationKey(accountId, m.threadKey),
      sender: m.sender,
      // A location or contact alone still reads as something in the inbox's text and its previews.
      text: m.text?.trim() ? m.text : shared.description,
      media: toMedia(m),
      replyToProviderMessageId: m.inReplyTo,
      sentAt: new Date(m.sentAt).toISOString(),
      ...(richText ? { richText } : {}),
      ...(shared.location ? { location: shared.location } : {}),
      ...(shared.contacts.length ? { contacts: shared.contacts } : {}),
    };
    return [{ kind: 'message', message }];
  }
  if (type === 'message.status') {
    const parsed = genericStatusSchema.safeParse(data);
    if (!parsed.success) throw new InvalidPayloadError(`data: ${describeIssues(parsed.error)}`);
    const { messageId, status, error } = parsed.data;
    // The connector's own words reach the rep in HubSpot's FAILED status.
    const reason =
      status === 'failed'
        ? (error?.message ?? 'the connector reported the message as failed, without a reason')
        : undefined;
    return [{ kind: 'receipt', providerMessageId: messageId, status, ...(reason ? { reason } : {}) }];
  }
  return [{ kind: 'ignored', code: 'event-type', reason: `event type "${type}" is not one the bridge carries` }];
}
