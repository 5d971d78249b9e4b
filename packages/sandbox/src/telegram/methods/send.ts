import { imageSize, mediaField, storeFile, type MediaDetails } from '../files.js';
import { parseTelegramHtml } from '../html-entities.js';
import { chatKey, chatMessages, nextMessageId, nowSeconds, type FileKind, type StoredFile } from '../state.js';
import {
  TelegramApiError,
  badRequest,
  privateChatOf,
  type TgChat,
  type TgEntity,
  type TgMessage,
  type TgUser,
} from '../wire.js';
import { integerParam, stringParam, type MethodContext, type MethodHandler } from './context.js';

const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;
const PHOTO_UPLOAD_LIMIT = 10 * 1024 * 1024;

interface Destination {
  readonly chat: TgChat;
  readonly messageThreadId?: number;
  /** Sent on behalf of a connected Business account, into that account's chat. */
  readonly business?: { readonly connectionId: string; readonly owner: TgUser };
}

/**
 * Where a send goes: the customer's private chat with this bot, a group the bot is in (a forum topic with
 * `message_thread_id`), or a Business chat with `business_connection_id`. Sends fail as Telegram's do when
 * the chat does not exist or the customer blocked the bot.
 */
function recipient({ state, bot, params }: MethodContext): Destination {
  const chatId = integerParam(params, 'chat_id');
  if (chatId === undefined) throw badRequest('chat not found');
  const connectionId = stringParam(params, 'business_connection_id');
  if (connectionId !== undefined) {
    const connection = state.businessConnections.get(connectionId);
    // [INFERRED] the description Telegram gives for an unknown connection.
    if (!connection || connection.botId !== bot.id) throw badRequest('business connection not found');
    const customer = state.customers.get(chatId);
    if (!customer || !state.chats.has(chatKey(bot.id, chatId, connectionId))) throw badRequest('chat not found');
    return { chat: privateChatOf(customer.user), business: { connectionId, owner: connection.user } };
  }
  const group = state.groups.get(chatId);
  if (group && group.botId === bot.id) {
    const thread = integerParam(params, 'message_thread_id');
    if (thread !== undefined && !group.topics.has(thread)) throw badRequest('message thread not found');
    return { chat: group.chat, ...(thread !== undefined ? { messageThreadId: thread } : {}) };
  }
  const customer = state.customers.get(chatId);
  if (!customer || !state.chats.has(chatKey(bot.id, chatId))) throw badRequest('chat not found');
  if (customer.blocked.has(bot.id)) throw new TelegramApiError(403, 'Forbidden: bot was blocked by the user');
  return { chat: privateChatOf(customer.user) };
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

function repliedMessage(ctx: MethodContext, to: Destination): TgMessage | undefined {
  const reply = ctx.params.reply_parameters as
    { message_id?: unknown; allow_sending_without_reply?: unknown } | undefined;
  const messageId = reply?.message_id ?? ctx.params.reply_to_message_id;
  if (messageId === undefined) return undefined;
  const found = chatMessages(ctx.state, ctx.bot.id, to.chat.id, to.business?.connectionId).find(
    (m) => m.message_id === Number(messageId),
  );
  if (!found && reply?.allow_sending_without_reply !== true) throw badRequest('message to be replied not found');
  if (!found) return undefined;
  // Telegram includes the replied message one level deep only.
  const { reply_to_message: _nested, ...shallow } = found;
  return shallow;
}

function deliver(ctx: MethodContext, method: string, content: Partial<TgMessage>): { result: TgMessage } {
  const to = recipient(ctx);
  const chatId = to.chat.id;
  const connectionId = to.business?.connectionId;
  const replyTo = repliedMessage(ctx, to);
  const message: TgMessage = {
    message_id: nextMessageId(ctx.state, ctx.bot.id, chatId, connectionId),
    ...(to.messageThreadId !== undefined ? { message_thread_id: to.messageThreadId } : {}),
    // On behalf of a business, the message is the owner's; the bot is named apart.
    from: to.business?.owner ?? ctx.bot.user,
    ...(to.business ? { sender_business_bot: ctx.bot.user } : {}),
    chat: to.chat,
    date: nowSeconds(),
    ...(connectionId ? { business_connection_id: connectionId } : {}),
    ...(to.messageThreadId !== undefined ? { is_topic_message: true as const } : {}),
    ...(replyTo ? { reply_to_message: replyTo } : {}),
    ...content,
  };
  chatMessages(ctx.state, ctx.bot.id, chatId, connectionId).push(message);
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
    return storeFile(ctx.state, {
      botId: ctx.bot.id,
      kind,
      data: upload.data,
      mimeType: upload.mimeType,
      fileName: upload.fileName,
    });
  }
  const value = stringParam(ctx.params, field);
  if (!value) throw badRequest(`there is no ${field} in the request`);
  if (/^https?:\/\//i.test(value))
    throw badRequest(
      `failed to get HTTP URL content: the sandbox does not fetch URLs; upload the ${field} or pass a file_id`,
    );
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
    if (caption && caption.text !== '')
      Object.assign(content, {
        caption: caption.text,
        ...(caption.entities ? { caption_entities: caption.entities } : {}),
      });
    return deliver(ctx, method, content);
  };
}

/**
 * sendAnimation: "GIF or H.264/MPEG-4 AVC video without sound", caption 0-1024. The message carries `animation` and,
 * "for backward compatibility, when this field is set, the document field will also be set" (Message object).
 */
const sendAnimation: MethodHandler = (ctx) => {
  recipient(ctx);
  const caption = formatted(ctx, 'caption');
  if (caption && caption.text.length > CAPTION_LIMIT) throw badRequest('message caption is too long');
  const file = inputFile(ctx, 'document', 'animation');
  const { document } = mediaField(file) as { document: Record<string, unknown> };
  const given = details(ctx);
  const size = imageSize(file.data);
  const animation = {
    ...document,
    width: given.width ?? size.width,
    height: given.height ?? size.height,
    duration: given.duration ?? 1,
  };
  const content: Partial<TgMessage> & { animation: Record<string, unknown> } = { animation, document };
  if (caption && caption.text !== '')
    Object.assign(content, {
      caption: caption.text,
      ...(caption.entities ? { caption_entities: caption.entities } : {}),
    });
  return deliver(ctx, 'sendAnimation', content);
};

export const sendMethods: Record<string, MethodHandler> = {
  sendMessage,
  sendPhoto: mediaSender('sendPhoto', 'photo', true),
  sendVoice: mediaSender('sendVoice', 'voice', true),
  sendAudio: mediaSender('sendAudio', 'audio', true),
  sendVideo: mediaSender('sendVideo', 'video', true),
  sendVideoNote: mediaSender('sendVideoNote', 'video_note', false),
  sendSticker: mediaSender('sendSticker', 'sticker', false),
  sendDocument: mediaSender('sendDocument', 'document', true),
  sendAnimation,
};
