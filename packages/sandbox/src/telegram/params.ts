import busboy from 'busboy';
import type { Request } from 'express';
import { TelegramApiError, badRequest } from './wire.js';

/** An InputFile posted as a multipart part. */
export interface UploadedFile {
  readonly fileName: string;
  readonly mimeType: string;
  readonly data: Buffer;
}

export type Params = Record<string, unknown>;

/** Telegram's own multipart ceiling for bots: https://core.telegram.org/bots/api#sending-files */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const MAX_JSON_BYTES = 1024 * 1024;

const tooLarge = () => new TelegramApiError(413, 'Request Entity Too Large');

// Query strings, forms and multipart fields are all text; Telegram reads them by the parameter's type.
const INTEGER_FIELDS = new Set([
  'chat_id',
  'message_id',
  'message_thread_id',
  'reply_to_message_id',
  'duration',
  'width',
  'height',
  'length',
  'max_connections',
  'offset',
  'limit',
  'timeout',
  'from_chat_id',
]);
const BOOLEAN_FIELDS = new Set([
  'disable_notification',
  'protect_content',
  'has_spoiler',
  'drop_pending_updates',
  'supports_streaming',
  'show_caption_above_media',
  'disable_content_type_detection',
  'allow_sending_without_reply',
  'allow_paid_broadcast',
]);
const JSON_FIELDS = new Set([
  'reply_markup',
  'reply_parameters',
  'entities',
  'caption_entities',
  'allowed_updates',
  'link_preview_options',
]);

function coerce(key: string, value: string): unknown {
  if (INTEGER_FIELDS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOLEAN_FIELDS.has(key)) return value === 'true' || value === '1';
  if (JSON_FIELDS.has(key)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw badRequest(`can't parse ${key.replace(/_/g, ' ')} JSON object`);
    }
  }
  return value;
}

export function coerceAll(fields: Record<string, string>): Params {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, coerce(key, value)]));
}

async function readLimited(req: Request, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function readMultipart(req: Request): Promise<{ fields: Record<string, string>; files: Record<string, UploadedFile> }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: Record<string, UploadedFile> = {};
    let failed: Error | undefined;
    const parser = busboy({ headers: req.headers, limits: { fileSize: MAX_UPLOAD_BYTES, fieldSize: MAX_JSON_BYTES } });
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => (failed ??= tooLarge()));
      stream.on('close', () => {
        files[name] = { fileName: info.filename ?? name, mimeType: info.mimeType, data: Buffer.concat(chunks) };
      });
    });
    parser.on('error', (error: Error) => reject(badRequest(`can't parse multipart body: ${error.message}`)));
    parser.on('close', () => (failed ? reject(failed) : resolve({ fields, files })));
    req.pipe(parser);
  });
}

/**
 * Parameters of one Bot API call from the query string and a JSON, urlencoded or multipart body.
 * Uploaded files come back apart from the parameters, keyed by their field name.
 */
export async function readParams(
  req: Request,
  jsonLimit = MAX_JSON_BYTES,
): Promise<{ params: Params; files: Record<string, UploadedFile> }> {
  const query = coerceAll(Object.fromEntries(new URL(req.originalUrl, 'http://x').searchParams));
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (req.method === 'GET' || req.method === 'HEAD') return { params: query, files: {} };
  if (type.startsWith('multipart/form-data')) {
    const { fields, files } = await readMultipart(req);
    return { params: { ...query, ...coerceAll(fields) }, files };
  }
  const body = await readLimited(req, type.startsWith('application/json') ? jsonLimit : MAX_UPLOAD_BYTES);
  if (body.length === 0) return { params: query, files: {} };
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw badRequest('the request body must be a JSON object');
    return { params: { ...query, ...(parsed as Params) }, files: {} };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return {
      params: { ...query, ...coerceAll(Object.fromEntries(new URLSearchParams(body.toString('utf8')))) },
      files: {},
    };
  }
  return { params: query, files: {} };
}
