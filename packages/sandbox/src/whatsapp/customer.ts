import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  fits,
  isAnimatedWebp,
  MAX_BYTES,
  MAX_STATIC_STICKER_BYTES,
  mediaTypeOf,
  type MediaType,
} from './media-rules.js';
import { storeMedia } from './media-routes.js';
import { BSUID } from './messages-route.js';
import { newWamid, now, unixSeconds, type WhatsAppSandboxState } from './state.js';
import { metadata, push } from './webhooks.js';

/** What the customer does, as the control API and the customer page describe it. */
export const customerMessageSchema = z.object({
  from: z
    .string()
    .regex(/^\d{5,20}$/, 'a WhatsApp id is digits only')
    .default('447700900123'),
  /**
   * The customer's business-scoped user id (BSUID), e.g. `US.13491208655302741918`; without it the webhook has none.
   */
  userId: z.string().regex(BSUID, 'a business-scoped user id looks like US.13491208655302741918').optional(),
  /** Which of the customer's ids the webhook names them by. @default 'both' with a userId, 'phone' without */
  identifiedBy: z.enum(['phone', 'userId', 'both']).optional(),
  name: z.string().min(1).max(100).default('Sandbox Customer'),
  type: z.enum(['text', 'image', 'audio', 'voice', 'video', 'sticker', 'document', 'location', 'contacts', 'reaction']),
  text: z.string().min(1).max(4096).optional(),
  caption: z.string().max(1024).optional(),
  file: z
    .object({ dataBase64: z.string().min(1), mimeType: z.string().min(1), filename: z.string().max(240).optional() })
    .optional(),
  animated: z.boolean().optional(),
  location: z
    .object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      name: z.string().optional(),
      address: z.string().optional(),
      url: z.string().optional(),
    })
    .optional(),
  contacts: z.array(z.record(z.unknown())).min(1).max(5).optional(),
  reaction: z.object({ messageId: z.string().min(1), emoji: z.string().min(1) }).optional(),
  replyTo: z.string().min(1).optional(),
});
export type CustomerMessageInput = z.input<typeof customerMessageSchema>;

/** Thrown when the customer's action is not something WhatsApp would let them send. */
export class CustomerInputError extends Error {}

const WA_TYPE: Readonly<Record<string, MediaType>> = {
  image: 'image',
  audio: 'audio',
  voice: 'audio',
  video: 'video',
  sticker: 'sticker',
  document: 'document',
};

function mediaPayload(
  state: WhatsAppSandboxState,
  input: z.infer<typeof customerMessageSchema>,
  type: MediaType,
): Record<string, unknown> {
  if (!input.file) throw new CustomerInputError(`a ${input.type} needs a file`);
  const data = Buffer.from(input.file.dataBase64, 'base64');
  const mime = input.file.mimeType;
  if (!mediaTypeOf(mime) || !fits(type, mime))
    throw new CustomerInputError(`WhatsApp does not send a ${mime} file as ${input.type}`);
  const animated = type === 'sticker' && (input.animated ?? isAnimatedWebp(data));
  const limit = type === 'sticker' && !animated ? MAX_STATIC_STICKER_BYTES : MAX_BYTES[type];
  if (data.length > limit)
    throw new CustomerInputError(`a ${input.type} can be at most ${limit} bytes; this one is ${data.length}`);
  const media = storeMedia(state, 'customer', data, mime, input.file.filename);
  // Webhooks carry sha256 base64-encoded; the media endpoint answers hex. Receivers must accept both.
  const payload: Record<string, unknown> = {
    mime_type: mime,
    sha256: createHash('sha256').update(data).digest('base64'),
    id: media.id,
  };
  if (input.caption && (type === 'image' || type === 'video' || type === 'document')) payload.caption = input.caption;
  if (type === 'audio') payload.voice = input.type === 'voice';
  if (type === 'sticker') payload.animated = animated;
  if (type === 'document') payload.filename = input.file.filename ?? 'document';
  return payload;
}

function content(state: WhatsAppSandboxState, input: z.infer<typeof customerMessageSchema>): Record<string, unknown> {
  const waType = WA_TYPE[input.type];
  if (waType) return { type: waType, [waType]: mediaPayload(state, input, waType) };
  switch (input.type) {
    case 'text':
      if (!input.text) throw new CustomerInputError('a text message needs text');
      return { type: 'text', text: { body: input.text } };
    case 'location':
      if (!input.location) throw new CustomerInputError('a location needs latitude and longitude');
      return { type: 'location', location: input.location };
    case 'contacts':
      if (!input.contacts) throw new CustomerInputError('a contacts message needs at least one contact');
      return { type: 'contacts', contacts: input.contacts };
    default:
      if (!input.reaction) throw new CustomerInputError('a reaction needs messageId and emoji');
      return { type: 'reaction', reaction: { message_id: input.reaction.messageId, emoji: input.reaction.emoji } };
  }
}

/**
 * Who the webhook says wrote: the phone number in `from` and `contacts[].wa_id`, the business-scoped user id in
 * `from_user_id` and `contacts[].user_id`, or both
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids
 * [INFERRED URL: the page was read through copies of Meta's 'Business-scoped user IDs' document]).
 */
function senderIds(input: z.infer<typeof customerMessageSchema>): {
  message: Record<string, string>;
  contact: Record<string, string>;
} {
  const by = input.identifiedBy ?? (input.userId ? 'both' : 'phone');
  if (by !== 'phone' && !input.userId) throw new CustomerInputError(`identifiedBy "${by}" needs a userId`);
  const phone = by !== 'userId';
  const userId = by !== 'phone' ? input.userId : undefined;
  return {
    message: { ...(phone ? { from: input.from } : {}), ...(userId ? { from_user_id: userId } : {}) },
    contact: { ...(phone ? { wa_id: input.from } : {}), ...(userId ? { user_id: userId } : {}) },
  };
}

/** The customer's record under each id a send can name them by: Meta knows both, whichever the webhook shows. */
function noteInbound(state: WhatsAppSandboxState, input: z.infer<typeof customerMessageSchema>): void {
  for (const id of [input.from, input.userId]) {
    if (!id) continue;
    const customer = state.customers.get(id) ?? { name: input.name };
    customer.name = input.name;
    customer.lastInboundAt = now(state);
    state.customers.set(id, customer);
  }
}

/** The customer writes: the message is stored, opens the 24-hour window, and is pushed as a signed webhook. */
export function customerSends(state: WhatsAppSandboxState, raw: unknown) {
  const parsed = customerMessageSchema.safeParse(raw);
  if (!parsed.success)
    throw new CustomerInputError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  const input = parsed.data;
  const ids = senderIds(input);
  const message: Record<string, unknown> = {
    ...ids.message,
    id: newWamid(),
    timestamp: unixSeconds(state),
    ...content(state, input),
  };
  if (input.replyTo && input.type !== 'reaction')
    message.context = { from: state.options.displayPhoneNumber, id: input.replyTo };
  noteInbound(state, input);
  state.received.push({ wamid: String(message.id), from: input.from, message, at: new Date(now(state)).toISOString() });
  const delivery = push(state, 'message', {
    messaging_product: 'whatsapp',
    metadata: metadata(state),
    contacts: [{ profile: { name: input.name }, ...ids.contact }],
    messages: [message],
  });
  return { wamid: String(message.id), delivery: delivery.seq, message };
}
