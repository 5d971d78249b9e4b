import { z } from 'zod';
import { ProviderError, type OutboundAttachment, type OutboundMessage, type SendResult } from '../types.js';
import { oggCodec } from '../ogg-codec.js';
import { splitPlainText } from '../text-split.js';
import { graphJson, graphUrl, type GraphContext } from './graph.js';
import {
  isAnimatedWebp,
  MAX_BYTES,
  MAX_STATIC_STICKER_BYTES,
  megabytes,
  waTypeFor,
  type WaMediaType,
} from './limits.js';
import {
  DEFAULT_WINDOW_POLICY,
  templateFields,
  templateTextFor,
  windowClosedReason,
  type WhatsAppWindowPolicy,
} from './window-template.js';
import { waUploadResponseSchema } from './wire-types.js';

/** WhatsApp's text body and caption limits, in characters. */
export const MAX_TEXT_CHARS = 4096;
export const MAX_CAPTION_CHARS = 1024;
const CAPTIONED: ReadonlySet<WaMediaType> = new Set(['image', 'video', 'document']);

/** One file as WhatsApp will take it: its message type, and whether it goes as a voice note. */
export interface PlannedMedia {
  readonly attachment: OutboundAttachment;
  readonly type: WaMediaType;
  /**
   * `audio.voice: true`
   * (https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/audio-messages).
   */
  readonly voice: boolean;
  /** Captions exist on image, video and document only ("do not use with audio or sticker media"). */
  readonly captionable: boolean;
}

/**
 * How WhatsApp takes one file, or a ProviderError naming it. The reply planner checks every file of a reply with it
 * (the module's `reply.fileVerdict`) before any part is sent, so a reply is never half-sent because its third file is
 * refused.
 */
export function whatsAppMediaFor(attachment: OutboundAttachment): PlannedMedia {
  const type = waTypeFor(attachment.kind, attachment.contentType);
  if (!type) {
    throw new ProviderError(
      `"${attachment.filename}" is ${attachment.contentType}, a format WhatsApp does not accept; send it as PDF, an image (JPEG, PNG) or a video (MP4)`,
      {
        retryable: false,
        code: 'unsupported_media_type',
      },
    );
  }
  // Meta's media table: audio/ogg is "OPUS codecs only; base audio/ogg not supported". Refused only when the bytes
  // prove another codec.
  const codec = oggCodec(attachment.data);
  if (type === 'audio' && codec !== undefined && codec !== 'opus') {
    throw new ProviderError(
      `"${attachment.filename}" is Ogg ${codec} audio; WhatsApp takes Ogg audio only when it is encoded with Opus (or send it as MP3, AAC or M4A)`,
      {
        retryable: false,
        code: 'unsupported_media_type',
      },
    );
  }
  const animated = type === 'sticker' && isAnimatedWebp(attachment.data);
  const limit = type === 'sticker' && !animated ? MAX_STATIC_STICKER_BYTES : MAX_BYTES[type];
  if (attachment.data.length > limit) {
    const what =
      type === 'sticker'
        ? `${animated ? 'animated' : 'static'} stickers`
        : `${type === 'document' ? 'document' : type}s`;
    throw new ProviderError(
      `"${attachment.filename}" is ${megabytes(attachment.data.length)}; WhatsApp accepts ${what} up to ${megabytes(limit)}`,
      {
        retryable: false,
        code: 'media_too_large',
      },
    );
  }
  // Voice notes "require .ogg files encoded with the OPUS codec": a voice recording in any other format goes as plain
  // audio.
  const voice =
    type === 'audio' &&
    bareType(attachment.contentType) === 'audio/ogg' &&
    (attachment.kind === 'voice' || codec === 'opus');
  return { attachment, type, voice, captionable: CAPTIONED.has(type) };
}

const bareType = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

/**
 * Splits long text into messages WhatsApp accepts: whole graphemes, at a paragraph, line or word break when one is
 * near.
 */
export function splitText(text: string, max = MAX_TEXT_CHARS): string[] {
  return splitPlainText(text, max);
}

async function upload(ctx: GraphContext, phoneNumberId: string, attachment: OutboundAttachment): Promise<string> {
  const form = new FormData();
  form.set('messaging_product', 'whatsapp');
  form.set('type', attachment.contentType);
  // A Buffer is a Uint8Array at runtime; newer @types/node only narrow its ArrayBufferLike generic.
  form.set(
    'file',
    new Blob([attachment.data as Uint8Array as BlobPart], { type: attachment.contentType }),
    attachment.filename,
  );
  const body = await graphJson(
    ctx,
    graphUrl(ctx, `${encodeURIComponent(phoneNumberId)}/media`),
    waUploadResponseSchema,
    { method: 'POST', body: form },
  );
  return body.id;
}

/**
 * The send answer as far as the bridge reads it: the wamid. `contacts[]` carries `wa_id` for a phone-number send and
 * `user_id` instead for a BSUID send (Meta's business-scoped user IDs page), so neither is required here.
 */
const sendResponseSchema = z
  .object({
    messaging_product: z.literal('whatsapp'),
    contacts: z.array(z.object({ input: z.string() }).passthrough()).optional(),
    messages: z.array(z.object({ id: z.string().min(1) }).passthrough()).min(1),
  })
  .passthrough();

async function post(ctx: GraphContext, phoneNumberId: string, payload: Record<string, unknown>): Promise<string> {
  const body = await graphJson(
    ctx,
    graphUrl(ctx, `${encodeURIComponent(phoneNumberId)}/messages`),
    sendResponseSchema,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    },
  );
  return body.messages[0]!.id;
}

/** Who a send goes to: a phone number in `to`, or a business-scoped user id (BSUID) in `recipient`. */
export type WhatsAppRecipient = { readonly to: string } | { readonly recipient: string };

/**
 * A BSUID: a country code, a dot and an alphanumeric id (`US.13491208655302741918`), or a parent BSUID
 * (`US.ENT.11815799212886844830`). [INFERRED] pattern from the examples in Meta's business-scoped user IDs page.
 */
const BSUID = /^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/;

/**
 * The recipient fields for a chat id. Inbound keys a chat by the customer's phone number when Meta sends it, else by
 * their BSUID (normalise.ts). Meta's messages API takes a BSUID or parent BSUID in `recipient`, a phone number in `to`;
 * with both, `to` wins
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids [INFERRED URL:
 * the page was read through copies of Meta's 'Business-scoped user IDs' document]).
 */
export function recipientFor(chatId: string): WhatsAppRecipient {
  const phone = chatId.replace(/^\+/, '');
  if (/^\d{5,20}$/.test(phone)) return { to: phone };
  if (BSUID.test(chatId)) return { recipient: chatId };
  throw new ProviderError(`"${chatId}" is neither a WhatsApp phone number nor a business-scoped user id`, {
    retryable: false,
    code: 'bad_recipient',
  });
}

/**
 * Sends one part of a rep's reply: a text as `type: text` (already in WhatsApp markup, split when long), or one file,
 * uploaded and then sent by id, with the text as its caption. Only the first message carries the reply context.
 *
 * Outside the customer service window Meta refuses free-form messages with 131047. Meta reports it in a `failed`
 * status webhook; should it answer the send itself with 131047 ([INFERRED]: not seen in Meta's documentation, kept so
 * the bridge never loops on it) and nothing of the reply went yet, the reply goes as the window policy says
 * (sendOutsideWindow).
 */
export async function sendWhatsAppMessage(
  ctx: GraphContext,
  phoneNumberId: string,
  message: OutboundMessage,
  window: WhatsAppWindowPolicy = DEFAULT_WINDOW_POLICY,
  onlyPiece?: number,
): Promise<SendResult> {
  const ids: string[] = [];
  try {
    await sendFreeForm(ctx, phoneNumberId, message, ids, onlyPiece);
  } catch (error) {
    if (!(error instanceof ProviderError) || error.options.code !== 131047 || ids.length > 0) throw error;
    return sendOutsideWindow(ctx, phoneNumberId, message, window);
  }
  return { providerMessageIds: ids };
}

/**
 * A reply to a customer whose window has closed: with a template configured, the template with the reply's text as
 * its body parameter {{1}}; otherwise a final ProviderError the rep can read. Files cannot ride on a template.
 */
export async function sendOutsideWindow(
  ctx: GraphContext,
  phoneNumberId: string,
  message: OutboundMessage,
  window: WhatsAppWindowPolicy = DEFAULT_WINDOW_POLICY,
): Promise<SendResult> {
  const recipient = recipientFor(message.chatId);
  if (window.mode !== 'template' || !window.template)
    throw new ProviderError(windowClosedReason(), { retryable: false, code: 131047 });
  const text = templateTextFor(message);
  const id = await post(ctx, phoneNumberId, {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...recipient,
    ...templateFields(window.template, text),
  });
  return { providerMessageIds: [id] };
}

/**
 * One part of a reply (src/providers/types.ts, `send`): a text, in pieces of 4096 characters, or one file with the text
 * as its caption. With `onlyPiece`, only that piece goes (a resend of one Meta reported failed), still with the reply
 * context when it is the first. The core plans captions with the module's `reply` rules, so several files, or a file
 * whose text WhatsApp cannot show as its caption, is a bug in the caller: thrown as a plain Error, never sent.
 */
async function sendFreeForm(
  ctx: GraphContext,
  phoneNumberId: string,
  message: OutboundMessage,
  ids: string[],
  onlyPiece?: number,
): Promise<void> {
  const recipient = recipientFor(message.chatId);
  if (message.attachments.length > 1)
    throw new Error(
      `the WhatsApp adapter sends one part at a time (a text, or one file with its caption); got ${message.attachments.length} files`,
    );
  const media = message.attachments[0] ? whatsAppMediaFor(message.attachments[0]) : undefined;
  const text = message.text?.trim() ? message.text : undefined;
  if (!text && !media)
    throw new ProviderError('the reply has no text and no attachment', { retryable: false, code: 'empty_message' });
  if (media && text && (!media.captionable || text.length > MAX_CAPTION_CHARS))
    throw new Error(
      `the WhatsApp adapter got a caption "${media.attachment.filename}" cannot carry (${media.type}, ${text.length} characters): the reply planner sends such a text as its own part`,
    );

  const context = message.replyToProviderMessageId ? { message_id: message.replyToProviderMessageId } : undefined;
  const base = (piece: number) => ({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...recipient,
    ...(context && piece === 0 ? { context } : {}),
  });

  if (media) {
    if (onlyPiece !== undefined && onlyPiece !== 0) return;
    const id = await upload(ctx, phoneNumberId, media.attachment);
    const object: Record<string, unknown> = { id };
    if (text) object.caption = text;
    if (media.type === 'document') object.filename = media.attachment.filename;
    if (media.voice) object.voice = true;
    ids.push(await post(ctx, phoneNumberId, { ...base(0), type: media.type, [media.type]: object }));
    return;
  }
  for (const [piece, part] of splitText(text!).entries()) {
    if (onlyPiece !== undefined && piece !== onlyPiece) continue;
    ids.push(
      await post(ctx, phoneNumberId, {
        ...base(piece),
        type: 'text',
        text: { body: part, preview_url: /https?:\/\//.test(part) },
      }),
    );
  }
}
