import { z } from 'zod';
import { workflowIdPart } from '../parse.js';

/**
 * WhatsApp Cloud API wire shapes (Graph v23.0), as far as the bridge reads them. Objects stay open
 * (`passthrough`): Meta adds fields without notice, and a new field must never break parsing.
 * These never leak past `normalise`, `send` and `fetchMedia`.
 */

const media = z
  .object({
    id: z.string().min(1),
    mime_type: z.string().min(1),
    sha256: z.string().optional(),
    caption: z.string().optional(),
  })
  .passthrough();

const optionalText = z.string().optional();

/**
 * `context`: a reply carries `{from, id}`; a forwarded message carries only `{forwarded: true}` or
 * `{frequently_forwarded: true}`, with no id; a product enquiry adds `referred_product`.
 */
const context = z
  .object({
    from: optionalText,
    id: z.string().min(1).optional(),
    forwarded: z.boolean().optional(),
    frequently_forwarded: z.boolean().optional(),
    referred_product: z
      .object({ catalog_id: optionalText, product_retailer_id: optionalText })
      .passthrough()
      .optional(),
  })
  .passthrough();

/** Click-to-WhatsApp ads: where the customer came from. */
const referral = z
  .object({
    source_url: optionalText,
    source_id: optionalText,
    source_type: optionalText,
    headline: optionalText,
    body: optionalText,
    media_type: optionalText,
    ctwa_clid: optionalText,
  })
  .passthrough();

// Older webhooks put `details` on the error itself rather than in `error_data`.
const metaError = z
  .object({
    code: z.number().optional(),
    title: optionalText,
    message: optionalText,
    details: optionalText,
    error_data: z.object({ details: optionalText }).passthrough().optional(),
  })
  .passthrough();

const interactive = z
  .object({
    type: z.string().min(1),
    button_reply: z.object({ id: optionalText, title: z.string() }).passthrough().optional(),
    list_reply: z.object({ id: optionalText, title: z.string(), description: optionalText }).passthrough().optional(),
    nfm_reply: z
      .object({ name: optionalText, body: optionalText, response_json: optionalText })
      .passthrough()
      .optional(),
  })
  .passthrough();

const orderItem = z
  .object({
    product_retailer_id: optionalText,
    quantity: z.union([z.number(), z.string()]).optional(),
    item_price: z.union([z.number(), z.string()]).optional(),
    currency: optionalText,
  })
  .passthrough();

/**
 * What one message says, apart from who sent it and when: shared by a message and by the new version inside an `edit`.
 */
const content = {
  type: z.string().min(1),
  context: context.optional(),
  text: z.object({ body: z.string() }).passthrough().optional(),
  image: media.optional(),
  audio: media.extend({ voice: z.boolean().optional() }).optional(),
  video: media.optional(),
  sticker: media.extend({ animated: z.boolean().optional() }).optional(),
  document: media.extend({ filename: z.string().optional() }).optional(),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
      url: z.string().optional(),
    })
    .passthrough()
    .optional(),
  contacts: z.array(z.record(z.unknown())).min(1).optional(),
  reaction: z
    .object({ message_id: z.string().min(1), emoji: optionalText })
    .passthrough()
    .optional(),
  button: z.object({ text: optionalText, payload: optionalText }).passthrough().optional(),
  interactive: interactive.optional(),
  order: z
    .object({ catalog_id: optionalText, text: optionalText, product_items: z.array(orderItem).optional() })
    .passthrough()
    .optional(),
  system: z
    .object({
      body: optionalText,
      type: optionalText,
      wa_id: optionalText,
      new_wa_id: z.union([z.string(), z.number()]).optional(),
      identity: optionalText,
      user_id: optionalText,
    })
    .passthrough()
    .optional(),
  referral: referral.optional(),
  errors: z.array(metaError).optional(),
};

export const waMessageContentSchema = z.object(content).passthrough();

export const waMessageSchema = z
  .object({
    ...content,
    // A customer with a username may have no phone number in the webhook: then only `from_user_id` (BSUID) names them.
    from: z
      .string()
      .regex(/^\d{5,20}$/, 'must be a WhatsApp id (digits only)')
      .optional(),
    from_user_id: workflowIdPart().optional(),
    // wamids are about 60 characters; the id becomes part of a workflow id.
    id: workflowIdPart(),
    timestamp: z.string().regex(/^\d{1,12}$/, 'must be unix seconds as a string'),
    group_id: optionalText,
    identity: z
      .object({
        acknowledged: z.boolean().optional(),
        created_timestamp: z.union([z.string(), z.number()]).optional(),
        hash: optionalText,
      })
      .passthrough()
      .optional(),
    edit: z
      .object({ original_message_id: z.string().min(1), message: waMessageContentSchema })
      .passthrough()
      .optional(),
    revoke: z
      .object({ original_message_id: z.string().min(1) })
      .passthrough()
      .optional(),
  })
  .passthrough()
  .refine((m) => m.from !== undefined || m.from_user_id !== undefined, {
    message: 'names no sender: neither "from" nor "from_user_id"',
    path: ['from'],
  });

export const waStatusErrorSchema = z
  .object({
    code: z.number().int(),
    title: z.string().optional(),
    message: z.string().optional(),
    error_data: z.object({ details: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();

export const waStatusSchema = z
  .object({
    id: z.string().min(1),
    status: z.string().min(1),
    timestamp: z.string().optional(),
    recipient_id: z.string().optional(),
    recipient_user_id: z.string().optional(),
    // Lenient: a status whose error lacks a code still says the message failed.
    errors: z.array(metaError).optional(),
  })
  .passthrough();

const contact = z
  .object({
    profile: z.object({ name: z.string().optional(), username: z.string().optional() }).passthrough().optional(),
    wa_id: z.string().optional(),
    user_id: z.string().optional(),
  })
  .passthrough();

export const waValueSchema = z
  .object({
    messaging_product: z.literal('whatsapp'),
    metadata: z
      .object({ display_phone_number: z.string().optional(), phone_number_id: z.string().min(1) })
      .passthrough(),
    contacts: z.array(contact).optional(),
    messages: z.array(z.unknown()).optional(),
    statuses: z.array(z.unknown()).optional(),
    errors: z.array(metaError).optional(),
  })
  .passthrough();

/** Only the frame is strict: a body without `object` and `entry[]` of objects is not a WhatsApp webhook at all. */
export const waEnvelopeSchema = z
  .object({ object: z.literal('whatsapp_business_account'), entry: z.array(z.object({}).passthrough()) })
  .passthrough();

export const waEntrySchema = z
  .object({
    id: z.string().optional(),
    changes: z.array(z.object({ field: z.string().min(1), value: z.unknown() }).passthrough()),
  })
  .passthrough();

/** `GET /{version}/{media-id}`. */
export const waMediaMetadataSchema = z
  .object({
    url: z.string().url(),
    mime_type: z.string().min(1),
    sha256: z.string().optional(),
    file_size: z.coerce.number().int().nonnegative().optional(),
    id: z.string().optional(),
  })
  .passthrough();

/** `POST /{phone-number-id}/media`. */
export const waUploadResponseSchema = z.object({ id: z.string().min(1) }).passthrough();

/** `POST /{phone-number-id}/messages`. */
export const waSendResponseSchema = z
  .object({
    messaging_product: z.literal('whatsapp'),
    contacts: z.array(z.object({ input: z.string(), wa_id: z.string() }).passthrough()).optional(),
    messages: z.array(z.object({ id: z.string().min(1) }).passthrough()).min(1),
  })
  .passthrough();

/** Graph's error body on any failed call. */
export const graphErrorBodySchema = z.object({
  error: z
    .object({
      message: z.string().optional(),
      type: z.string().optional(),
      code: z.number().int().optional(),
      error_subcode: z.number().int().optional(),
      is_transient: z.boolean().optional(),
      error_user_title: z.string().optional(),
      error_user_msg: z.string().optional(),
      error_data: z.object({ details: z.string().optional() }).passthrough().optional(),
      fbtrace_id: z.string().optional(),
    })
    .passthrough(),
});

export type WaMessage = z.infer<typeof waMessageSchema>;
export type WaMessageContent = z.infer<typeof waMessageContentSchema>;
export type WaMetaError = z.infer<typeof metaError>;
export type WaStatus = z.infer<typeof waStatusSchema>;
export type WaStatusError = z.infer<typeof waStatusErrorSchema>;
export type WaValue = z.infer<typeof waValueSchema>;
export type GraphErrorBody = z.infer<typeof graphErrorBodySchema>;
