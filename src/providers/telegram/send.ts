import type { MediaKind } from '../../domain/messages.js';
import { ProviderError, type OutboundAttachment, type OutboundMessage, type SendResult } from '../types.js';
import { callTelegram, type TelegramEndpoint } from './api.js';
import { splitTelegramHtml, visibleLength } from './html-split.js';
import { megabytes, TELEGRAM_LIMITS } from './limits.js';
import { telegramMessageId } from './normalise.js';
import type { TelegramSentMessage } from './wire-types.js';

/** The send method and its file field for each canonical kind. */
const SEND_METHODS: Readonly<Record<MediaKind, { readonly method: string; readonly field: string; readonly caption: boolean }>> = {
  image: { method: 'sendPhoto', field: 'photo', caption: true },
  voice: { method: 'sendVoice', field: 'voice', caption: true },
  audio: { method: 'sendAudio', field: 'audio', caption: true },
  video: { method: 'sendVideo', field: 'video', caption: true },
  sticker: { method: 'sendSticker', field: 'sticker', caption: false },
  file: { method: 'sendDocument', field: 'document', caption: true },
};

const STICKER_TYPES = new Set(['image/webp', 'application/x-tgsticker', 'video/webm']);

/** Telegram takes stickers only as WEBP, TGS or WEBM; any other "sticker" goes as the image or file it is. */
function sendKind(attachment: OutboundAttachment): MediaKind {
  if (attachment.kind !== 'sticker' || STICKER_TYPES.has(attachment.contentType.toLowerCase())) return attachment.kind;
  return attachment.contentType.toLowerCase().startsWith('image/') ? 'image' : 'file';
}

type Step = { readonly text: string } | { readonly attachment: OutboundAttachment; readonly caption?: string };

/** Checked before anything is sent, so a reply never goes out half-delivered because of a size. */
function checkAttachments(attachments: readonly OutboundAttachment[]): void {
  for (const a of attachments) {
    const kind = sendKind(a);
    const limit = TELEGRAM_LIMITS.uploadBytes[kind];
    if (a.data.length === 0) throw new ProviderError(`${a.filename} is empty; Telegram does not accept empty files`, { retryable: false });
    if (a.data.length > limit) {
      throw new ProviderError(
        `file too large for Telegram: ${a.filename} is ${megabytes(a.data.length)}, and Telegram accepts ${kind === 'image' ? 'photos' : 'files'} up to ${megabytes(limit)}`,
        { retryable: false },
      );
    }
  }
}

/** A short text rides as the first attachment's caption; otherwise it goes first, split at 4096. */
function plan(message: OutboundMessage): Step[] {
  const text = message.text?.trim() ?? '';
  const [first, ...rest] = message.attachments;
  if (first && text !== '' && SEND_METHODS[sendKind(first)].caption && visibleLength(text) <= TELEGRAM_LIMITS.captionChars) {
    return [{ attachment: first, caption: text }, ...rest.map((attachment) => ({ attachment }))];
  }
  const texts = text === '' ? [] : splitTelegramHtml(text, TELEGRAM_LIMITS.textChars).map((part) => ({ text: part }));
  return [...texts, ...message.attachments.map((attachment) => ({ attachment }))];
}

/** `replyToProviderMessageId` is `{chatId}:{messageId}`; Telegram wants the message id alone. */
function replyParameters(replyTo: string | undefined): { message_id: number; allow_sending_without_reply: boolean } | undefined {
  const messageId = replyTo?.split(':').at(-1);
  if (!messageId || !/^\d+$/.test(messageId)) return undefined;
  // A reply to a message the customer since deleted still goes out, as a plain message.
  return { message_id: Number(messageId), allow_sending_without_reply: true };
}

function uploadForm(chatId: string, step: { attachment: OutboundAttachment; caption?: string }, reply: object | undefined): FormData {
  const { field } = SEND_METHODS[sendKind(step.attachment)];
  const form = new FormData();
  form.set('chat_id', chatId);
  if (step.caption) {
    form.set('caption', step.caption);
    form.set('parse_mode', 'HTML');
  }
  if (reply) form.set('reply_parameters', JSON.stringify(reply));
  const { data, contentType, filename } = step.attachment;
  // A copy typed on a plain ArrayBuffer, which is what Blob accepts.
  form.set(field, new Blob([new Uint8Array(data)], { type: contentType }), filename);
  return form;
}

async function sendStep(endpoint: TelegramEndpoint, chatId: string, step: Step, reply: object | undefined): Promise<TelegramSentMessage> {
  if ('text' in step) {
    return callTelegram(endpoint, 'sendMessage', { chat_id: chatId, text: step.text, parse_mode: 'HTML', ...(reply ? { reply_parameters: reply } : {}) });
  }
  return callTelegram(endpoint, SEND_METHODS[sendKind(step.attachment)].method, uploadForm(chatId, step, reply));
}

/**
 * Sends one rep reply as one or more Telegram messages, in order; only the first carries the reply
 * reference. Telegram has no idempotency key: a retry after a partial failure re-sends the parts
 * that already went out.
 */
export async function sendTelegramMessage(endpoint: TelegramEndpoint, message: OutboundMessage): Promise<SendResult> {
  checkAttachments(message.attachments);
  const steps = plan(message);
  if (steps.length === 0) throw new ProviderError('the reply has no text and no attachment', { retryable: false });
  const ids: string[] = [];
  for (const [index, step] of steps.entries()) {
    const sent = await sendStep(endpoint, message.chatId, step, index === 0 ? replyParameters(message.replyToProviderMessageId) : undefined);
    ids.push(telegramMessageId(sent.chat.id, sent.message_id));
  }
  return { providerMessageIds: ids };
}
