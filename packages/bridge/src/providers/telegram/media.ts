import type { InboundMedia } from '../../domain/messages.js';
import { trusting } from '../../net/address-policy.js';
import { GuardedGetError, guardedGet } from '../../net/guarded-get.js';
import { ProviderError, type MediaBlob } from '../types.js';
import { callTelegram, fileUrl, withoutToken, type TelegramEndpoint } from './api.js';
import { networkError, telegramError } from './errors.js';
import { megabytes, TELEGRAM_LIMITS } from './limits.js';
import type { TelegramFile } from './wire-types.js';

const LIMIT = TELEGRAM_LIMITS.downloadBytes;

function tooLarge(what: string, bytes: number | undefined): ProviderError {
  const size = bytes === undefined ? 'over' : `${megabytes(bytes)}, over`;
  return new ProviderError(
    `${what} is too large to download from Telegram (${size} the ${megabytes(LIMIT)} limit for bots)`,
    { retryable: false },
  );
}

/** `data:` refs (locations and contacts in messages normalised before they had canonical fields): no network call. */
function fromDataRef(media: InboundMedia): MediaBlob {
  const match = /^data:([^;,]+)(;base64)?,(.*)$/s.exec(media.ref);
  if (!match) throw new ProviderError('the media reference is not a valid data: URI', { retryable: false });
  const bytes = match[2]
    ? Buffer.from(match[3] ?? '', 'base64')
    : Buffer.from(decodeURIComponent(match[3] ?? ''), 'utf8');
  return {
    contentType: media.contentType ?? match[1] ?? 'application/octet-stream',
    filename: media.filename,
    sizeBytes: bytes.length,
    body: new Blob([bytes]).stream(),
  };
}

/** Counts bytes as they stream and fails the stream past the limit, for servers that omit Content-Length. */
function capped(body: ReadableStream<Uint8Array>, what: string): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > LIMIT) controller.error(tooLarge(what, undefined));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/**
 * getFile(file_id), then a streamed GET of /file/bot<token>/<file_path>. `getFile` "may not preserve
 * the original file name and MIME type", so those come from the message.
 * https://core.telegram.org/bots/api#getfile
 */
export async function fetchTelegramMedia(endpoint: TelegramEndpoint, media: InboundMedia): Promise<MediaBlob> {
  if (media.ref.startsWith('data:')) return fromDataRef(media);
  const what = media.filename ?? `the ${media.kind}`;
  if (media.sizeBytes !== undefined && media.sizeBytes > LIMIT) throw tooLarge(what, media.sizeBytes);
  const file = await callTelegram<TelegramFile>(endpoint, 'getFile', { file_id: media.ref }).catch((error: unknown) => {
    // Telegram answers getFile over 20 MB with 400 "file is too big".
    throw error instanceof ProviderError && /file is too big/i.test(error.reason) ? tooLarge(what, undefined) : error;
  });
  if (file.file_size !== undefined && file.file_size > LIMIT) throw tooLarge(what, file.file_size);
  if (!file.file_path) throw new ProviderError(`Telegram gave no download path for ${what}`, { retryable: false });

  let response: Response;
  try {
    // The file URL is the configured API's own; a redirect from it is judged like any URL (src/net/guarded-get.ts).
    ({ response } = await guardedGet(new URL(fileUrl(endpoint, file.file_path)), {
      fetch: endpoint.fetch,
      policy: trusting(endpoint.mediaPolicy ?? {}, endpoint.apiBaseUrl),
      describe: withoutToken,
    }));
  } catch (error) {
    if (error instanceof GuardedGetError)
      throw new ProviderError(`Telegram's file download was refused: ${error.message}`, {
        retryable: false,
        code: error.code,
      });
    throw networkError('file download', error);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw telegramError('file download', response.status, undefined);
  }
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  if (length > LIMIT) {
    await response.body.cancel();
    throw tooLarge(what, length);
  }
  return {
    contentType: media.contentType ?? response.headers.get('content-type') ?? 'application/octet-stream',
    filename: media.filename ?? file.file_path.split('/').at(-1),
    sizeBytes: Number.isFinite(length) ? length : file.file_size,
    body: capped(response.body, what),
  };
}
