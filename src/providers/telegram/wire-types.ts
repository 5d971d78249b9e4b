import { z } from 'zod';

/**
 * The slice of Telegram Bot API types the bridge reads (https://core.telegram.org/bots/api).
 * Objects are not strict: Telegram adds fields in every Bot API release and they must not break us.
 * These types never leak past `normalise`.
 */

const fileFields = { file_id: z.string().min(1), file_unique_id: z.string().min(1), file_size: z.number().int().nonnegative().optional() };

export const photoSizeSchema = z.object({ ...fileFields, width: z.number().int(), height: z.number().int() });
export const voiceSchema = z.object({ ...fileFields, duration: z.number().int(), mime_type: z.string().optional() });
export const audioSchema = z.object({
  ...fileFields,
  duration: z.number().int(),
  performer: z.string().optional(),
  title: z.string().optional(),
  file_name: z.string().optional(),
  mime_type: z.string().optional(),
});
export const videoSchema = z.object({
  ...fileFields,
  width: z.number().int(),
  height: z.number().int(),
  duration: z.number().int(),
  file_name: z.string().optional(),
  mime_type: z.string().optional(),
});
export const videoNoteSchema = z.object({ ...fileFields, length: z.number().int(), duration: z.number().int() });
export const stickerSchema = z.object({
  ...fileFields,
  type: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  is_animated: z.boolean(),
  is_video: z.boolean(),
  emoji: z.string().optional(),
  set_name: z.string().optional(),
});
export const documentSchema = z.object({ ...fileFields, file_name: z.string().optional(), mime_type: z.string().optional() });
export const locationSchema = z.object({
  latitude: z.number(),
  longitude: z.number(),
  horizontal_accuracy: z.number().optional(),
  live_period: z.number().int().optional(),
});
export const venueSchema = z.object({ location: locationSchema, title: z.string(), address: z.string() });
export const contactSchema = z.object({
  phone_number: z.string(),
  first_name: z.string(),
  last_name: z.string().optional(),
  user_id: z.number().int().optional(),
  vcard: z.string().optional(),
});

export const userSchema = z.object({
  id: z.number().int(),
  is_bot: z.boolean(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});
export const chatSchema = z.object({
  id: z.number().int(),
  type: z.string(),
  title: z.string().optional(),
  username: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});

/** Unix seconds a JavaScript Date can hold (±8.64e15 ms): beyond them `toISOString` throws instead of answering 400. */
const unixSeconds = z.number().int().min(0).max(8_640_000_000_000, 'must be unix seconds');

const messageFields = {
  message_id: z.number().int(),
  date: unixSeconds,
  chat: chatSchema,
  from: userSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  media_group_id: z.string().optional(),
  photo: z.array(photoSizeSchema).min(1).optional(),
  voice: voiceSchema.optional(),
  audio: audioSchema.optional(),
  video: videoSchema.optional(),
  video_note: videoNoteSchema.optional(),
  sticker: stickerSchema.optional(),
  document: documentSchema.optional(),
  location: locationSchema.optional(),
  venue: venueSchema.optional(),
  contact: contactSchema.optional(),
};

/** `reply_to_message` is one level deep: Telegram never nests it further. */
export const repliedMessageSchema = z.object({ message_id: z.number().int(), chat: chatSchema.optional() });
export const messageSchema = z.object({ ...messageFields, reply_to_message: repliedMessageSchema.optional() });

export const chatMemberSchema = z.object({ status: z.string(), user: userSchema });
export const chatMemberUpdatedSchema = z.object({
  chat: chatSchema,
  from: userSchema,
  date: z.number().int(),
  old_chat_member: chatMemberSchema,
  new_chat_member: chatMemberSchema,
});

/** Only `update_id` is checked up front; the one payload field present is parsed by its own schema. */
export const updateEnvelopeSchema = z.object({ update_id: z.number().int().nonnegative() }).passthrough();

export type TelegramMessage = z.infer<typeof messageSchema>;
export type TelegramUser = z.infer<typeof userSchema>;
export type TelegramChatMemberUpdated = z.infer<typeof chatMemberUpdatedSchema>;

/** `{ok: true, result}` or `{ok: false, error_code, description, parameters?}`. */
export interface TelegramApiResponse<T> {
  readonly ok: boolean;
  readonly result?: T;
  readonly error_code?: number;
  readonly description?: string;
  readonly parameters?: { readonly retry_after?: number; readonly migrate_to_chat_id?: number };
}

/** `File` from getFile: `file_path` is what the download URL needs. */
export interface TelegramFile {
  readonly file_id: string;
  readonly file_unique_id: string;
  readonly file_size?: number;
  readonly file_path?: string;
}

/** What send* methods return, as far as the bridge reads it. */
export interface TelegramSentMessage {
  readonly message_id: number;
  readonly chat: { readonly id: number };
}
