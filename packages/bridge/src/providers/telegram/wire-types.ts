import { z } from 'zod';

/**
 * The slice of Telegram Bot API types the bridge reads (https://core.telegram.org/bots/api).
 * Objects are not strict: Telegram adds fields in every Bot API release and they must not break us.
 * These types never leak past `normalise`.
 */

const fileFields = {
  file_id: z.string().min(1),
  file_unique_id: z.string().min(1),
  file_size: z.number().int().nonnegative().optional(),
};

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
export const documentSchema = z.object({
  ...fileFields,
  file_name: z.string().optional(),
  mime_type: z.string().optional(),
});
export const locationSchema = z.object({
  latitude: z.number(),
  longitude: z.number(),
  horizontal_accuracy: z.number().optional(),
  live_period: z.number().int().optional(),
  heading: z.number().int().optional(),
  proximity_alert_radius: z.number().int().optional(),
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
  is_forum: z.boolean().optional(),
});

/** Offsets and lengths are in UTF-16 code units, which is what JavaScript strings index by. */
export const entitySchema = z.object({
  type: z.string(),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  url: z.string().optional(),
  user: userSchema.optional(),
  language: z.string().optional(),
});
/** The part of the replied message the customer quoted (Bot API 7.0 `TextQuote`). */
export const textQuoteSchema = z.object({
  text: z.string(),
  entities: z.array(entitySchema).optional(),
  position: z.number().int(),
  is_manual: z.boolean().optional(),
});

const pollOptionSchema = z.object({ text: z.string(), voter_count: z.number().int().optional() });
export const pollSchema = z.object({
  id: z.string(),
  question: z.string(),
  options: z.array(pollOptionSchema),
  type: z.string().optional(),
  allows_multiple_answers: z.boolean().optional(),
  // Bot API 9.x replaced the single correct_option_id with correct_option_ids; both are read.
  correct_option_id: z.number().int().optional(),
  correct_option_ids: z.array(z.number().int()).optional(),
});
export const diceSchema = z.object({ emoji: z.string(), value: z.number().int() });
export const storySchema = z.object({ chat: chatSchema, id: z.number().int() });
const amountFields = { currency: z.string(), total_amount: z.number().int() };
export const invoiceSchema = z.object({ title: z.string(), description: z.string().optional(), ...amountFields });
export const successfulPaymentSchema = z.object({
  ...amountFields,
  invoice_payload: z.string().optional(),
  is_recurring: z.boolean().optional(),
});
export const giveawaySchema = z.object({
  winner_count: z.number().int(),
  prize_description: z.string().optional(),
  prize_star_count: z.number().int().optional(),
  premium_subscription_month_count: z.number().int().optional(),
});
export const giveawayWinnersSchema = z.object({
  winner_count: z.number().int(),
  winners: z.array(userSchema),
  prize_description: z.string().optional(),
});
export const gameSchema = z.object({ title: z.string(), description: z.string().optional() });
export const paidMediaSchema = z.object({
  star_count: z.number().int(),
  paid_media: z.array(z.object({ type: z.string() }).passthrough()),
});

/**
 * The connection id becomes part of conversation keys and workflow ids (Temporal refuses ids over 256
 * characters). [INFERRED] Telegram's are a few dozen characters; 128 leaves room and refuses nonsense with a 400.
 */
const businessConnectionId = z.string().min(1).max(128);

/** Unix seconds a JavaScript Date can hold (±8.64e15 ms): beyond them `toISOString` throws instead of answering 400. */
const unixSeconds = z.number().int().min(0).max(8_640_000_000_000, 'must be unix seconds');

const messageFields = {
  message_id: z.number().int(),
  date: unixSeconds,
  chat: chatSchema,
  from: userSchema.optional(),
  /** Anonymous group admins and linked channels write as a chat. */
  sender_chat: chatSchema.optional(),
  message_thread_id: z.number().int().optional(),
  is_topic_message: z.boolean().optional(),
  business_connection_id: businessConnectionId.optional(),
  /** Set on outgoing messages a bot sent for the business account. */
  sender_business_bot: userSchema.optional(),
  edit_date: unixSeconds.optional(),
  author_signature: z.string().optional(),
  text: z.string().optional(),
  entities: z.array(entitySchema).optional(),
  caption: z.string().optional(),
  caption_entities: z.array(entitySchema).optional(),
  quote: textQuoteSchema.optional(),
  reply_to_story: storySchema.optional(),
  external_reply: z
    .object({ chat: chatSchema.optional(), message_id: z.number().int().optional() })
    .passthrough()
    .optional(),
  media_group_id: z.string().optional(),
  has_media_spoiler: z.boolean().optional(),
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
  poll: pollSchema.optional(),
  dice: diceSchema.optional(),
  story: storySchema.optional(),
  game: gameSchema.optional(),
  invoice: invoiceSchema.optional(),
  successful_payment: successfulPaymentSchema.optional(),
  giveaway: giveawaySchema.optional(),
  giveaway_winners: giveawayWinnersSchema.optional(),
  paid_media: paidMediaSchema.optional(),
  // Service messages the notes name; the rest are named by their field (see content-notes.ts).
  new_chat_members: z.array(userSchema).optional(),
  left_chat_member: userSchema.optional(),
  new_chat_title: z.string().optional(),
  forum_topic_created: z.object({ name: z.string() }).passthrough().optional(),
  forum_topic_edited: z.object({ name: z.string().optional() }).passthrough().optional(),
  web_app_data: z.object({ data: z.string(), button_text: z.string() }).optional(),
};

/** `reply_to_message` is one level deep: Telegram never nests it further. */
export const repliedMessageSchema = z.object({
  message_id: z.number().int(),
  chat: chatSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
});
/** `pinned_message` is a whole (inaccessible or not) message, read only for its text. */
const pinnedMessageSchema = z.object({
  message_id: z.number().int(),
  text: z.string().optional(),
  caption: z.string().optional(),
});
/** Passthrough: the content fields the bridge does not know yet still name themselves in a note. */
export const messageSchema = z
  .object({
    ...messageFields,
    reply_to_message: repliedMessageSchema.optional(),
    pinned_message: pinnedMessageSchema.optional(),
  })
  .passthrough();

export const chatMemberSchema = z.object({ status: z.string(), user: userSchema });
export const chatMemberUpdatedSchema = z.object({
  chat: chatSchema,
  from: userSchema,
  date: z.number().int(),
  old_chat_member: chatMemberSchema,
  new_chat_member: chatMemberSchema,
});

export const businessConnectionSchema = z.object({
  id: businessConnectionId,
  user: userSchema,
  user_chat_id: z.number().int(),
  date: z.number().int(),
  is_enabled: z.boolean(),
});
export const businessMessagesDeletedSchema = z.object({
  business_connection_id: businessConnectionId,
  chat: chatSchema,
  message_ids: z.array(z.number().int()),
});
export const pollAnswerSchema = z.object({
  poll_id: z.string(),
  voter_chat: chatSchema.optional(),
  user: userSchema.optional(),
  option_ids: z.array(z.number().int()),
});

/** Only `update_id` is checked up front; the one payload field present is parsed by its own schema. */
export const updateEnvelopeSchema = z.object({ update_id: z.number().int().nonnegative() }).passthrough();

export type TelegramMessage = z.infer<typeof messageSchema>;
export type TelegramUser = z.infer<typeof userSchema>;
export type TelegramChatMemberUpdated = z.infer<typeof chatMemberUpdatedSchema>;
export type TelegramEntity = z.infer<typeof entitySchema>;
export type TelegramChat = z.infer<typeof chatSchema>;

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
