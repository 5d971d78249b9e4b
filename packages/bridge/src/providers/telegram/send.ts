import { oggCodec } from '../ogg-codec.js';
import { ProviderError, type OutboundAttachment, type OutboundMessage, type SendResult } from '../types.js';
import { callTelegram, type TelegramEndpoint } from './api.js';
import type { TelegramUpload } from './multipart.js';
import { splitTelegramHtml, visibleLength } from './html-split.js';
import { megabytes, TELEGRAM_LIMITS } from './limits.js';
import { messageScope, parseTelegramChatRef, telegramMessageId, type TelegramChatRef } from './chat-ref.js';
import type { TelegramSentMessage } from './wire-types.js';

/**
 * How Telegram shows a file: the send method, its file field, and whether it takes a caption.
 * https://core.telegram.org/bots/api#available-methods
 */
type SendAs = 'photo' | 'voice' | 'audio' | 'video' | 'animation' | 'sticker' | 'document';
const SEND_METHODS: Readonly<Record<SendAs, { readonly method: string; readonly caption: boolean }>> = {
  photo: { method: 'sendPhoto', caption: true },
  voice: { method: 'sendVoice', caption: true },
  audio: { method: 'sendAudio', caption: true },
  video: { method: 'sendVideo', caption: true },
  animation: { method: 'sendAnimation', caption: true },
  sticker: { method: 'sendSticker', caption: false },
  document: { method: 'sendDocument', caption: true },
};

const STICKER_TYPES = new Set(['image/webp', 'application/x-tgsticker', 'video/webm']);
/**
 * sendVoice: "an .OGG file encoded with OPUS, or in .MP3 format, or in .M4A format (other formats may be sent as Audio
 * or Document)".
 */
const VOICE_TYPES = new Set([
  'audio/ogg',
  'audio/opus',
  'application/ogg',
  'audio/mpeg',
  'audio/mp3',
  'audio/mp4',
  'audio/m4a',
  'audio/x-m4a',
]);
/** sendAudio: "Your audio must be in the .MP3 or .M4A format"; anything else goes as a document. */
const AUDIO_TYPES = new Set(['audio/mpeg', 'audio/mp3', 'audio/mp4', 'audio/m4a', 'audio/x-m4a']);
/** sendVideo: "Telegram clients support MPEG4 videos (other formats may be sent as Document)". */
const VIDEO_TYPES = new Set(['video/mp4']);

const bare = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

/**
 * The way Telegram shows a canonical file: a GIF is an animation (sendAnimation: "GIF or H.264/MPEG-4 AVC video
 * without sound"), not a still photo; an Ogg/Opus recording is a voice note; a format a method does not take falls
 * back to the method the Bot API names for it, in the end sendDocument.
 */
function sendAs(attachment: OutboundAttachment): SendAs {
  const type = bare(attachment.contentType);
  const codec = oggCodec(attachment.data);
  if (type === 'image/gif') return 'animation';
  if (codec === 'opus') return 'voice';
  switch (attachment.kind) {
    case 'image':
      return 'photo';
    case 'sticker':
      return STICKER_TYPES.has(type) ? 'sticker' : type.startsWith('image/') ? 'photo' : 'document';
    case 'voice':
      if (VOICE_TYPES.has(type) && codec === undefined) return 'voice';
      return AUDIO_TYPES.has(type) ? 'audio' : 'document';
    case 'audio':
      return AUDIO_TYPES.has(type) ? 'audio' : 'document';
    case 'video':
      return VIDEO_TYPES.has(type) ? 'video' : 'document';
    case 'file':
      return 'document';
  }
}

/** How Telegram takes one file: its method, whether a caption can ride on it. */
export interface TelegramFilePlan {
  readonly method: string;
  readonly captionable: boolean;
}

/**
 * How Telegram takes one file, or a ProviderError naming it. The reply planner checks every file of a reply with it
 * (the module's `reply.fileVerdict`) before any part is sent, so a reply never goes out half-delivered because of a
 * size.
 */
export function telegramFilePlan(attachment: OutboundAttachment): TelegramFilePlan {
  const as = sendAs(attachment);
  const limit = as === 'photo' ? TELEGRAM_LIMITS.uploadBytes.image : TELEGRAM_LIMITS.uploadBytes.file;
  if (attachment.data.length === 0)
    throw new ProviderError(`${attachment.filename} is empty; Telegram does not accept empty files`, {
      retryable: false,
    });
  if (attachment.data.length > limit) {
    throw new ProviderError(
      `file too large for Telegram: ${attachment.filename} is ${megabytes(attachment.data.length)}, and Telegram accepts ${as === 'photo' ? 'photos' : 'files'} up to ${megabytes(limit)}`,
      { retryable: false },
    );
  }
  return { method: SEND_METHODS[as].method, captionable: SEND_METHODS[as].caption };
}

type Step = { readonly text: string } | { readonly attachment: OutboundAttachment; readonly caption?: string };

/**
 * The Telegram messages of one part (src/providers/types.ts, `send`): a text, split at 4096 visible characters, or
 * one file with the text as its caption. The core plans captions with the module's `reply` rules, so a file part
 * whose text Telegram cannot show as its caption is a bug in the caller: thrown as a plain Error, never sent.
 */
function plan(message: OutboundMessage): Step[] {
  const text = message.text?.trim() ?? '';
  if (message.attachments.length > 1)
    throw new Error(
      `the Telegram adapter sends one part at a time (a text, or one file with its caption); got ${message.attachments.length} files`,
    );
  const [attachment] = message.attachments;
  if (!attachment)
    return text === '' ? [] : splitTelegramHtml(text, TELEGRAM_LIMITS.textChars).map((t) => ({ text: t }));
  telegramFilePlan(attachment);
  if (text === '') return [{ attachment }];
  if (!SEND_METHODS[sendAs(attachment)].caption || visibleLength(text) > TELEGRAM_LIMITS.captionChars)
    throw new Error(
      `the Telegram adapter got a caption ${attachment.filename} cannot carry (${sendAs(attachment)}, ${visibleLength(text)} characters): the reply planner sends such a text as its own part`,
    );
  return [{ attachment, caption: text }];
}

/** `replyToProviderMessageId` is `{scope}:{messageId}` (chat-ref.ts); Telegram wants the message id alone. */
function replyParameters(
  replyTo: string | undefined,
): { message_id: number; allow_sending_without_reply: boolean } | undefined {
  // An edited message's id carries `:edited-<date>` (normalise.ts); the message is still the one it was.
  const messageId = replyTo
    ?.replace(/:edited-\d+$/, '')
    .split(':')
    .at(-1);
  if (!messageId || !/^\d+$/.test(messageId)) return undefined;
  // A reply to a message the customer since deleted still goes out, as a plain message.
  return { message_id: Number(messageId), allow_sending_without_reply: true };
}

/**
 * Where a send goes, from the conversation's chat ref (src/providers/telegram/chat-ref.ts): a plain chat by its id;
 * a forum topic also with `message_thread_id` ("unique identifier for the target message thread (topic) of the
 * forum; for forum supergroups only"); a Business chat also with `business_connection_id` ("unique identifier of the
 * business connection on behalf of which the message will be sent"). Every send method takes all three.
 */
function destination(ref: TelegramChatRef): Record<string, string | number> {
  return {
    ...(ref.businessConnectionId !== undefined ? { business_connection_id: ref.businessConnectionId } : {}),
    chat_id: ref.chatId,
    ...(ref.messageThreadId !== undefined ? { message_thread_id: ref.messageThreadId } : {}),
  };
}

function upload(
  ref: TelegramChatRef,
  step: { attachment: OutboundAttachment; caption?: string },
  reply: object | undefined,
): TelegramUpload {
  const fields: Record<string, string> = Object.fromEntries(
    Object.entries(destination(ref)).map(([key, value]) => [key, String(value)]),
  );
  if (step.caption) {
    fields.caption = step.caption;
    fields.parse_mode = 'HTML';
  }
  if (reply) fields.reply_parameters = JSON.stringify(reply);
  const { data, contentType, filename } = step.attachment;
  // The file field is named after the method's kind: sendPhoto takes `photo`, sendAnimation `animation`.
  return { fields, file: { field: sendAs(step.attachment), filename, contentType, data } };
}

async function sendStep(
  endpoint: TelegramEndpoint,
  ref: TelegramChatRef,
  step: Step,
  reply: object | undefined,
): Promise<TelegramSentMessage> {
  if ('text' in step) {
    return callTelegram(endpoint, 'sendMessage', {
      ...destination(ref),
      text: step.text,
      parse_mode: 'HTML',
      ...(reply ? { reply_parameters: reply } : {}),
    });
  }
  return callTelegram(endpoint, SEND_METHODS[sendAs(step.attachment)].method, upload(ref, step, reply));
}

/**
 * Sends one part of a rep's reply as one Telegram message, or several for a long text, in order; only the first
 * carries the reply reference. Telegram has no idempotency key: a retry after a partial failure of a long text re-sends
 * the pieces that already went out.
 */
export async function sendTelegramMessage(endpoint: TelegramEndpoint, message: OutboundMessage): Promise<SendResult> {
  const steps = plan(message);
  if (steps.length === 0) throw new ProviderError('the reply has no text and no attachment', { retryable: false });
  // `chatId` is the conversation's chat ref: a plain chat id, `<chat_id>:topic:<thread>` or
  // `business:<connection>:<chat_id>`.
  const ref = parseTelegramChatRef(message.chatId);
  // Ids scoped as inbound scopes them (a Business chat numbers its messages apart), so a customer's reply to this one
  // links up.
  const scope = messageScope(ref);
  const ids: string[] = [];
  for (const [index, step] of steps.entries()) {
    const sent = await sendStep(
      endpoint,
      ref,
      step,
      index === 0 ? replyParameters(message.replyToProviderMessageId) : undefined,
    );
    ids.push(telegramMessageId(scope, sent.message_id));
  }
  return { providerMessageIds: ids };
}
