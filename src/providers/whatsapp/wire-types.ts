import { z } from 'zod';
import { workflowIdPart } from '../parse.js';

/**
 * WhatsApp Cloud API wire shapes (Graph v23.0), as far as the bridge reads them. Objects stay open
 * (`passthrough`): Meta adds fields without notice, and a new field must never break parsing.
 * These never leak past `normalise`, `send` and `fetchMedia`.
 */

const media = z
  .object({ id: z.string().min(1), mime_type: z.string().min(1), sha256: z.string().optional(), caption: z.string().optional() })
  .passthrough();

export const waMessageSchema = z
  .object({
    from: z.string().regex(/^\d{5,20}$/, 'must be a WhatsApp id (digits only)'),
    // wamids are about 60 characters; the id becomes part of a workflow id.
    id: workflowIdPart(),
    timestamp: z.string().regex(/^\d{1,12}$/, 'must be unix seconds as a string'),
    type: z.string().min(1),
    context: z.object({ from: z.string().optional(), id: z.string().min(1) }).passthrough().optional(),
    text: z.object({ body: z.string() }).passthrough().optional(),
    image: media.optional(),
    audio: media.extend({ voice: z.boolean().optional() }).optional(),
    video: media.optional(),
    sticker: media.extend({ animated: z.boolean().optional() }).optional(),
    document: media.extend({ filename: z.string().optional() }).optional(),
    location: z
      .object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional(), url: z.string().optional() })
      .passthrough()
      .optional(),
    contacts: z.array(z.record(z.unknown())).min(1).optional(),
    errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional() }).passthrough()).optional(),
  })
  .passthrough();

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
    errors: z.array(waStatusErrorSchema).optional(),
  })
  .passthrough();

export const waValueSchema = z
  .object({
    messaging_product: z.literal('whatsapp'),
    metadata: z.object({ display_phone_number: z.string().optional(), phone_number_id: z.string().min(1) }).passthrough(),
    contacts: z.array(z.object({ profile: z.object({ name: z.string().optional() }).passthrough().optional(), wa_id: z.string().optional() }).passthrough()).optional(),
    messages: z.array(z.unknown()).optional(),
    statuses: z.array(z.unknown()).optional(),
  })
  .passthrough();

export const waEnvelopeSchema = z
  .object({
    object: z.literal('whatsapp_business_account'),
    entry: z.array(
      z.object({ id: z.string().min(1), changes: z.array(z.object({ field: z.string().min(1), value: z.unknown() }).passthrough()) }).passthrough()
    ),
  })
  .passthrough();

/** `GET /{version}/{media-id}`. */
export const waMediaMetadataSchema = z
  .object({ url: z.string().url(), mime_type: z.string().min(1), sha256: z.string().optional(), file_size: z.coerce.number().int().nonnegative().optional(), id: z.string().optional() })
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
export type WaStatus = z.infer<typeof waStatusSchema>;
export type WaStatusError = z.infer<typeof waStatusErrorSchema>;
export type WaValue = z.infer<typeof waValueSchema>;
export type GraphErrorBody = z.infer<typeof graphErrorBodySchema>;
