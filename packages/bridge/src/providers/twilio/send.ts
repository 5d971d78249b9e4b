import {
  ProviderError,
  type MediaUrlSigner,
  type OutboundAttachment,
  type OutboundMessage,
  type SendOptions,
  type SendResult,
} from '../types.js';
import { splitPlainText } from '../text-split.js';
import { accountUrl, twilioCall, type TwilioEndpoint } from './api.js';
import { MAX_BODY_CHARS, MAX_MEDIA_PER_MESSAGE, MMS_MAX_BYTES } from './limits.js';
import type { TwilioMessageResource } from './wire-types.js';

/** Gives an outbound file a short-lived public URL; Twilio downloads MediaUrl itself (src/media-links/). */
export type { MediaUrlSigner } from '../types.js';

export interface TwilioSendConfig extends TwilioEndpoint {
  /** The sender: an E.164 number (`From`) or a Messaging Service SID (`MG…`, `MessagingServiceSid`). */
  readonly sender: string;
  /** Where Twilio posts this message's status callbacks: the account's webhook URL. */
  readonly statusCallbackUrl?: string;
  readonly mediaUrlFor?: MediaUrlSigner;
}

/** One create request: a piece of text, files, or both (an MMS). */
interface Piece {
  readonly body?: string;
  readonly files: readonly OutboundAttachment[];
}

/**
 * The messages a reply becomes: text over 1600 characters in several, and files at most 10 and 5 MB per message.
 * Files ride with the last text piece, so a captioned picture stays one MMS.
 */
export function planPieces(message: OutboundMessage): Piece[] {
  const texts = message.text?.trim() ? splitPlainText(message.text, MAX_BODY_CHARS) : [];
  const groups: OutboundAttachment[][] = [];
  let bytes = 0;
  for (const file of message.attachments) {
    if (file.data.length > MMS_MAX_BYTES) {
      throw new ProviderError(
        `the file ${file.filename} is ${file.data.length} bytes; an MMS carries at most ${MMS_MAX_BYTES} bytes`,
        { retryable: false, code: 'media_too_large' },
      );
    }
    const last = groups.at(-1);
    if (!last || last.length >= MAX_MEDIA_PER_MESSAGE || bytes + file.data.length > MMS_MAX_BYTES) {
      groups.push([file]);
      bytes = file.data.length;
    } else {
      last.push(file);
      bytes += file.data.length;
    }
  }
  const pieces: Piece[] = texts.map((body) => ({ body, files: [] }));
  const [first, ...rest] = groups;
  if (first && pieces.length) pieces[pieces.length - 1] = { body: pieces.at(-1)!.body, files: first };
  else if (first) pieces.push({ files: first });
  for (const files of rest) pieces.push({ files });
  if (!pieces.length)
    throw new ProviderError('the reply has neither text nor files', { retryable: false, code: 'empty_message' });
  return pieces;
}

async function createMessage(config: TwilioSendConfig, to: string, piece: Piece): Promise<string> {
  const form = new URLSearchParams({ To: to });
  if (config.sender.startsWith('MG')) form.set('MessagingServiceSid', config.sender);
  else form.set('From', config.sender);
  if (piece.body) form.set('Body', piece.body);
  if (piece.files.length && !config.mediaUrlFor) {
    throw new ProviderError(
      'files cannot be sent by SMS/MMS from this bridge yet: Twilio downloads each file from a public URL, and no media link service is configured',
      { retryable: false, code: 'media_links_missing' },
    );
  }
  for (const file of piece.files) form.append('MediaUrl', await config.mediaUrlFor!(file));
  if (config.statusCallbackUrl) form.set('StatusCallback', config.statusCallbackUrl);
  const created = await twilioCall<TwilioMessageResource>(config, accountUrl(config, '/Messages.json'), form);
  return created.sid;
}

/**
 * Sends a rep's reply as one or more Messages. Twilio takes no idempotency key on create [INFERRED: none is
 * documented], so a create that timed out and is retried may send twice; `onlyPiece` resends one piece only.
 * SMS has no replies-to, so `replyToProviderMessageId` is dropped.
 */
export async function sendTwilioMessage(
  config: TwilioSendConfig,
  message: OutboundMessage,
  options: SendOptions = {},
): Promise<SendResult> {
  const pieces = planPieces(message);
  if (options.onlyPiece !== undefined) {
    const piece = pieces[options.onlyPiece];
    if (!piece)
      throw new ProviderError(`the reply has no piece ${options.onlyPiece}`, {
        retryable: false,
        code: 'no_such_piece',
      });
    return { providerMessageIds: [await createMessage(config, message.chatId, piece)] };
  }
  const ids: string[] = [];
  for (const piece of pieces) ids.push(await createMessage(config, message.chatId, piece));
  return { providerMessageIds: ids };
}
