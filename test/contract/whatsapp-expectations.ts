import type { MediaKind } from '../../packages/bridge/src/domain/messages.js';
import type { ReceiptStatus } from '../../packages/bridge/src/providers/types.js';

/**
 * What each payload of test/contract/whatsapp/ must become, item by item in Meta's order: the
 * specification of "what the rep sees" (docs/PROVIDERS.md) written as data.
 */

export interface ExpectedMessage {
  readonly kind: 'message';
  /** The whole text, or parts it must contain (in order-free form). */
  readonly text: string | readonly string[];
  readonly media?: MediaKind;
  readonly filename?: string;
  /** The thread key's provider part; defaults to the item's `from`. */
  readonly chat?: string;
  readonly replyTo?: string;
  readonly location?: true;
  readonly contactCards?: number;
  readonly senderName?: string;
  readonly noPhone?: true;
}
export interface ExpectedReceipt {
  readonly kind: 'receipt';
  readonly status: ReceiptStatus;
  readonly reason?: RegExp;
}
export interface ExpectedIgnore {
  readonly kind: 'ignored';
  readonly code: string;
}
export type Expected = ExpectedMessage | ExpectedReceipt | ExpectedIgnore;

const m = (text: ExpectedMessage['text'], more: Omit<ExpectedMessage, 'kind' | 'text'> = {}): ExpectedMessage => ({ kind: 'message', text, ...more });
const receipt = (status: ReceiptStatus, reason?: RegExp): ExpectedReceipt => ({ kind: 'receipt', status, ...(reason ? { reason } : {}) });
const ignored = (code: string): ExpectedIgnore => ({ kind: 'ignored', code });

/** The generator's wamid form, for the ids a payload points at. */
export const wamid = (tag: string) => `wamid.${Buffer.from(`HBgM${tag}`).toString('base64').replace(/=+$/, '')}AA==`;
const BUSINESS_MESSAGE = wamid('BUSINESS.OUTBOUND.0001');

export const EXPECTED: Readonly<Record<string, readonly Expected[]>> = {
  text: [m('Hello, is the blue kettle back in stock?')],
  'text-multiline': [m('Order 5531:\n- 2 mugs\n- 1 teapot 🫖\nThanks!')],
  reply: [m('Sim, pode enviar amanhã', { replyTo: BUSINESS_MESSAGE })],
  'forwarded-text': [m('[forwarded] Promoção válida até sexta')],
  'frequently-forwarded-text': [m('[forwarded many times] Share this with 10 friends to win')],
  'ad-referral': [m(['Is this still available?', '[came from an ad (120211234567890123)]', 'Headline: Spring sale: 30% off kettles', 'Ad text: Tap to chat with us on WhatsApp', 'Link: https://fb.me/3kQx9Lm2a'])],
  'product-enquiry': [m('Does it come in red?\n[asking about product KETTLE-BLUE-17 of catalog 884213370551201]', { replyTo: wamid('BUSINESS.CATALOG.0007') })],
  'identity-changed-on-message': [m("New phone, same me\n[the customer's WhatsApp security code changed on 2026-05-28T17:40:00.000Z]")],
  image: [m('The dent on the lid', { media: 'image' })],
  'image-no-caption': [m('', { media: 'image' })],
  'forwarded-image': [m('[forwarded] Olha isso', { media: 'image' })],
  video: [m('It makes this noise', { media: 'video' })],
  audio: [m('', { media: 'audio' })],
  voice: [m('', { media: 'voice' })],
  document: [m('My receipt', { media: 'file', filename: 'receipt-5531.pdf' })],
  sticker: [m('', { media: 'sticker' })],
  location: [m(['📍 Location', 'Pickup point', 'Riverside Walk, London SE1 7PB', '51.5033, -0.1196', 'https://maps.example/pickup'], { location: true })],
  'location-pin': [m(['12.9716, 77.5946'], { location: true })],
  contacts: [m(['👤 Rita de Souza', 'Organisation: Gerente, Loja Azul', 'Phone: +55 11 98888-0000 (cell) · WhatsApp 5511988880000', 'Email: rita@example.com.br (work)'], { contactCards: 1 })],
  'contacts-two-cards': [m(['👤 Sam Ortiz', '👤 Kim Lee', 'Birthday: 1991-04-12'], { contactCards: 2 })],
  reaction: [m('[reacted ❤️ to a message]', { replyTo: BUSINESS_MESSAGE })],
  'reaction-removed': [m('[removed their reaction from a message]', { replyTo: BUSINESS_MESSAGE })],
  button: [m('[tapped button] Reschedule\n[button payload: RESCHEDULE_DELIVERY]', { replyTo: wamid('BUSINESS.TEMPLATE.0003') })],
  'interactive-button-reply': [m('[chose] Sim, confirmo\n[button id: confirm-yes]', { replyTo: wamid('BUSINESS.INTERACTIVE.0004') })],
  'interactive-list-reply': [m('[chose from list] Tuesday morning\n08:00 to 12:00\n[list item id: slot-tue-am]', { replyTo: wamid('BUSINESS.INTERACTIVE.0005') })],
  'interactive-flow-reply': [m('[submitted form "flow"]\nflow_token: ft-return-2231\nreason: Arrived damaged\nrefund_method: store_credit\nitems: KETTLE-BLUE-17', { replyTo: wamid('BUSINESS.FLOW.0006') })],
  'interactive-address-reply': [m(['[submitted an address]', '12 MG Road, Bengaluru 560001', 'values.in_pin_code: 560001', 'values.city: Bengaluru'])],
  'interactive-call-permission-reply': [m(['[interactive reply: call_permission_reply]', 'response: accept', 'is_permanent: false'])],
  order: [m('🛒 Order from catalog 884213370551201\n• KETTLE-BLUE-17 × 1 at 39.9 GBP\n• MUG-SET-4 × 2 at 12.5 GBP\nPlease gift wrap')],
  'system-changed-number': [m('[User Dana Whitfield changed from 16505550204 to 16505550299]')],
  'system-changed-user-id': [m('[WhatsApp system notice: user_changed_user_id (now US.9920183746550012)]', { chat: 'US.4410982273645501', noPhone: true })],
  'system-identity-changed': [m('[João Pereira’s security code changed]')],
  unsupported: [m('[sent something this inbox cannot show: Message type unknown: Message type is currently not supported. (131051)]')],
  'unknown-legacy': [m('[sent something this inbox cannot show: Unsupported message type: Message type is not currently supported (131051)]')],
  'request-welcome': [m('[opened the chat with the business for the first time]')],
  revoke: [m('[deleted a message]', { replyTo: wamid('AMARA.TEXT.01') })],
  edit: [m('[edited a message; new version:]\nOrder 5531: 3 mugs, not 2', { replyTo: wamid('AMARA.TEXT.02') })],
  'edit-caption': [m('[edited a message; new version:]\nThe dent on the lid (left side)', { media: 'image', replyTo: wamid('AMARA.IMAGE.01') })],
  'bsuid-username-only': [m('Hi! Do you ship to Dubai?', { chat: 'AE.7710293847561102', senderName: 'Noor', noPhone: true })],
  'bsuid-with-phone': [m('Guten Tag, wo ist mein Paket?', { chat: '4915112340205' })],
  'statuses-sent-delivered-read': [receipt('sent'), receipt('delivered'), receipt('read')],
  'status-played': [receipt('read')],
  'status-failed-window': [receipt('failed', /^outside WhatsApp's 24-hour window.*\(131047\)$/)],
  // The words come from errors.ts's code table (or Meta's details when the table has none); the code always ends the
  // reason.
  'status-failed-spam-limit': [receipt('failed', /^(WhatsApp is limiting|WhatsApp: Message failed to send because there are restrictions).*\(131048\)$/)],
  'status-deleted': [ignored('status-deleted')],
  'status-warning': [ignored('status-warning')],
  'batch-two-customers-and-a-status': [m('First of three'), m('Second, from someone else'), m('Third, back to me'), receipt('delivered')],
  'batch-one-malformed-item': [m('[forwarded] Encaminhado de um amigo'), ignored('malformed'), m('Foto do produto', { media: 'image' }), ignored('malformed')],
  'two-entries': [m('From the first entry'), receipt('sent')],
  'other-phone-number': [ignored('other-number')],
  'field-user-preferences': [ignored('field')],
  'group-message': [ignored('group')],
  'value-errors': [ignored('webhook-error')],
};
