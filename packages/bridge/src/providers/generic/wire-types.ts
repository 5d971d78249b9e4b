import { z } from 'zod';
import { workflowIdPart } from '../parse.js';

/** Largest attachment that may travel inline as `dataBase64` (256 KiB of decoded bytes). */
export const INLINE_MAX_BYTES = 256 * 1024;
/** Base64 length of INLINE_MAX_BYTES, padding included. */
export const INLINE_MAX_BASE64_CHARS = Math.ceil(INLINE_MAX_BYTES / 3) * 4;
/**
 * RFC 3339 with seconds and an explicit offset: what both zod and the JSON Schemas accept. zod's own check lets an
 * offset of +24:00 or +99:99 through, which no Date can hold; the offset's range is checked here.
 */
export const RFC3339_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const dateTime = () =>
  z
    .string()
    .datetime({ offset: true })
    .regex(RFC3339_PATTERN, 'must be RFC 3339 with seconds and an offset, e.g. 2026-05-01T10:15:00Z');
/** Attachments per message. */
export const MAX_ATTACHMENTS = 10;
/** Characters of `text`. */
export const MAX_TEXT_CHARS = 65_536;
/** Characters of `formatted.body`: twice `text`'s, as markup takes room. */
export const MAX_FORMATTED_BODY_CHARS = 131_072;

/**
 * The generic connector's JSON contract (docs/GENERIC_PROVIDER.md). Standard Webhooks envelope:
 * `{ type, timestamp, data }`.
 */
export const genericAttachmentSchema = z
  .object({
    kind: z.enum(['image', 'audio', 'voice', 'video', 'sticker', 'file']),
    contentType: z.string().min(1).max(255),
    filename: z.string().max(255).optional(),
    sizeBytes: z.number().int().nonnegative().optional(),
    durationSec: z.number().nonnegative().optional(),
    url: z
      .string()
      .url()
      .max(2048)
      .regex(/^https?:\/\//i, 'url must be an http or https URL')
      .optional(),
    dataBase64: z
      .string()
      .max(INLINE_MAX_BASE64_CHARS, `inline data is limited to ${INLINE_MAX_BYTES} bytes; send larger files by url`)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'dataBase64 must be standard base64')
      .optional(),
  })
  .refine((a) => (a.url === undefined) !== (a.dataBase64 === undefined), {
    message: 'an attachment needs exactly one of url or dataBase64',
  });

/**
 * The message again, with formatting (docs/GENERIC_PROVIDER.md § 4.3). `html` is the only format: the subset that
 * src/providers/generic/formatted.ts produces. Receivers sanitise it again before showing it.
 */
export const genericFormattedSchema = z.object({
  format: z.literal('html'),
  body: z.string().max(MAX_FORMATTED_BODY_CHARS).regex(/\S/, 'formatted.body must not be blank'),
});

/**
 * A place the customer shared (as Telegram's and WhatsApp's location messages): it reaches HubSpot as a LOCATION
 * attachment.
 */
export const genericLocationSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().max(256).optional(),
  address: z.string().max(512).optional(),
});

/** A contact card the customer shared: it reaches HubSpot as a CONTACT attachment. */
export const genericContactSchema = z.object({
  name: z.string().min(1).max(256),
  phones: z.array(z.string().min(1).max(64)).max(10).default([]),
  emails: z.array(z.string().email().max(256)).max(10).default([]),
});

export const genericMessageSchema = z
  .object({
    messageId: workflowIdPart(),
    threadKey: workflowIdPart(),
    sender: z.object({
      id: z.string().min(1).max(256),
      name: z.string().max(256).optional(),
      phone: z.string().max(32).optional(),
      email: z.string().email().max(256).optional(),
    }),
    text: z.string().max(MAX_TEXT_CHARS).optional(),
    /** Optional; whoever cannot show it shows `text`, which says the same in plain text. */
    formatted: genericFormattedSchema.optional(),
    attachments: z.array(genericAttachmentSchema).max(MAX_ATTACHMENTS).default([]),
    location: genericLocationSchema.optional(),
    contacts: z.array(genericContactSchema).min(1).max(10).optional(),
    inReplyTo: z.string().min(1).max(256).optional(),
    sentAt: dateTime(),
  })
  .refine(
    (m) =>
      (m.text ?? '').trim() !== '' ||
      m.attachments.length > 0 ||
      m.location !== undefined ||
      (m.contacts?.length ?? 0) > 0,
    {
      message: 'a message needs text, an attachment, a location or a contact',
    },
  )
  .refine((m) => m.formatted === undefined || (m.text ?? '').trim() !== '', {
    message:
      'a message with formatted needs text too: the same message in plain text, for receivers that cannot show formatting',
    path: ['text'],
  });

export const genericStatusSchema = z.object({
  messageId: z.string().min(1).max(256),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  error: z.object({ code: z.string().optional(), message: z.string(), retryable: z.boolean().optional() }).optional(),
});

export const genericEnvelopeSchema = z.object({
  type: z.string().min(1),
  timestamp: dateTime().optional(),
  /** Every event's payload is an object; its shape depends on `type`. */
  data: z.record(z.string(), z.unknown()),
});

export type GenericMessage = z.infer<typeof genericMessageSchema>;
export type GenericAttachment = z.input<typeof genericAttachmentSchema>;
export type GenericFormatted = z.infer<typeof genericFormattedSchema>;
export type GenericStatus = z.infer<typeof genericStatusSchema>;
