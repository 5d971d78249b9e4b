import { mediaField, storeFile, type MediaDetails } from '../files.js';
import { parseTelegramHtml } from '../html-entities.js';
import { chatMessages, nextMessageId, nowSeconds, type FileKind, type StoredFile } from '../state.js';
import { TelegramApiError, badRequest, privateChatOf, type TgEntity, type TgMessage } from '../wire.js';
import { integerParam, stringParam, type MethodContext, type MethodHandler } from './context.js';

const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;
const PHOTO_UPLOAD_LIMIT = 10 * 1024 * 1024;

/** The customer's private chat with this bot; sends fail as Telegram's do when it does not exist or blocked the bot. */
function recipient({ state, bot, params }: MethodContext) {
  const chatId = integerParam(params, 'chat_id');
  if (chatId === undefined) throw badRequest('chat not found');
  const customer = state.customers.get(chatId);
  if (!customer || !state.chats.has(`${bot.id}:${chatId}`)) throw badRequest('chat not found');
  if (customer.blocked.has(bot.id)) throw new TelegramApiError(403, 'Forbidden: bot was blocked by the user');
  return customer;
}

function formatted(ctx: MethodContext, field: 'text' | 'caption'): { text: string; entities?: TgEntity[] } | undefined {
  const raw = stringParam(ctx.params, field);
  if (raw === undefined) return undefined;
  const parseMode = stringParam(ctx.params, 'parse_mode');
  const parsed = parseMode?.toLowerCase() === 'html' ? parseTelegramHtml(raw) : { text: raw, entities: [] };
  const explicit = ctx.params[field === 'text' ? 'entities' : 'caption_entities'];
  const entities = Array.isArray(explicit) ? (explicit as TgEntity[]) : parsed.entities;
  return { text: parsed.text, ...(entities.length > 0 ? { entities } : {}) };
}

function repliedMessage(ctx: MethodContext, chatId: number): TgMessage | undefined {
  const reply = ctx.params.reply_parameters as { message_id?: unknown; allow_sending_without_reply?: unknown } | undefined;
  const messageId = reply?.message_id ?? ctx.params.reply_to_message_id;
  if (messageId === undefined) return undefined;
  const found = chatMessages(ctx.state, ctx.bot.id, chatId).find((m) => m.message_id === Number(messageId));
  if (!found && reply?.allow_sending_without_reply !== true) throw badRequest('message to be replied not found');
  if (!found) return undefined;
  // Telegram includes the replied message one level deep only.
  const { reply_to_message: _nested, ...shallow } = found;
  return shallow;
}

function deliver(ctx: MethodContext, method: string, content: Partial<TgMessage>): { result: TgMessage } {
  const customer = recipient(ctx);
  const chatId = customer.user.id;
  const replyTo = repliedMessage(ctx, chatId);
  const message: TgMessage = {
    message_id: nextMessageId(ctx.state, ctx.bot.id, chatId),
    from: ctx.bot.user,
    chat: privateChatOf(customer.user),
    date: nowSeconds(),
    ...(replyTo ? { reply_to_message: replyTo } : {}),
    ...content,
  };
  chatMessages(ctx.state, ctx.bot.id, chatId).push(message);
  ctx.state.sent.push({ seq: ctx.state.sent.length + 1, botId: ctx.bot.id, chatId, method, message });
  return { result: message };
}

const sendMessage: MethodHandler = (ctx) => {
  const text = formatted(ctx, 'text');
  if (!text || text.text.trim() === '') throw badRequest('message text is empty');
  if (text.text.length > TEXT_LIMIT) throw badRequest('message is too long');
  return deliver(ctx, 'sendMessage', text);
};

/** An upload in this request, or a file_id this bot already has. URLs are not fetched: the sandbox stays offline. */
function inputFile(ctx: MethodContext, kind: FileKind, field: string): StoredFile {
  const upload = ctx.files[field];
  if (upload) {
    if (upload.data.length === 0) throw badRequest('file must be non-empty');
    if (kind === 'photo' && upload.data.length > PHOTO_UPLOAD_LIMIT) throw badRequest('file is too big');
    return storeFile(ctx.state, { botId: ctx.bot.id, kind, data: upload.data, mimeType: upload.mimeType, fileName: upload.fileName });
  }
  const value = stringParam(ctx.params, field);
  if (!value) throw badRequest(`there is no ${field} in the request`);
  if (/^https?:\/\//i.test(value)) throw badRequest(`failed to get HTTP URL content: the sandbox does not fetch URLs; upload the ${field} or pass a file_id`);
  const attach = /^attach:\/\/(.+)$/.exec(value);
  if (attach) return inputFile(ctx, kind, attach[1]!);
  const known = ctx.state.files.get(value);
  if (!known || known.botId !== ctx.bot.id) throw badRequest('wrong file identifier/HTTP URL specified');
  return known;
}

function details(ctx: MethodContext): MediaDetails {
  const p = ctx.params;
  return {
    duration: integerParam(p, 'duration'),
    width: integerParam(p, 'width'),
    height: integerParam(p, 'height'),
    length: integerParam(p, 'length'),
    performer: stringParam(p, 'performer'),
    title: stringParam(p, 'title'),
    emoji: stringParam(p, 'emoji'),
  };
}

function mediaSender(method: string, kind: FileKind, captioned: boolean): MethodHandler {
  return (ctx) => {
    recipient(ctx);
    const caption = captioned ? formatted(ctx, 'caption') : undefined;
    if (caption && caption.text.length > CAPTION_LIMIT) throw badRequest('message caption is too long');
    const file = inputFile(ctx, kind, kind);
    const content: Partial<TgMessage> = { ...mediaField(file, details(ctx)) };
    if (caption && caption.text !== '') Object.assign(content, { caption: caption.text, ...(caption.entities ? { caption_entities: caption.entities } : {}) });
    return deliver(ctx, method, content);
  };
}

export const sendMethods: Record<string, MethodHandler> = {
  sendMessage,
  sendPhoto: mediaSender('sendPhoto', 'photo', true),
  sendVoice: mediaSender('sendVoice', 'voice', true),
  sendAudio: mediaSender('sendAudio', 'audio', true),
  sendVideo: mediaSender('sendVideo', 'video', true),
  sendVideoNote: mediaSender('sendVideoNote', 'video_note', false),
  sendSticker: mediaSender('sendSticker', 'sticker', false),
  sendDocument: mediaSender('sendDocument', 'document', true),
};
