import { createHash } from 'node:crypto';
import type { InboundMedia } from '../../domain/messages.js';
import { GuardedGetError, guardedGet } from '../../net/guarded-get.js';
import { ProviderError, type MediaBlob } from '../types.js';
import { graphJson, graphUrl, throwForResponse, type GraphContext } from './graph.js';
import { limitFor, megabytes } from './limits.js';
import { waMediaMetadataSchema } from './wire-types.js';

/** A media URL lives 5 minutes; a download that finds it expired fetches a fresh one this many times. */
const MAX_URL_REFRESHES = 2;
/** What Meta's CDN answers for an expired or already-rotated URL. */
const EXPIRED = new Set([401, 403, 404, 410]);

/** Accepts Meta's sha256 as hex or base64 (the webhook examples use both). */
function digestOf(sha256: string | undefined): Buffer | undefined {
  if (!sha256) return undefined;
  if (/^[0-9a-f]{64}$/i.test(sha256)) return Buffer.from(sha256, 'hex');
  const bytes = Buffer.from(sha256, 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

function tooBig(media: InboundMedia, bytes: number, limit: number): ProviderError {
  return new ProviderError(
    `the customer's ${media.kind} is ${megabytes(bytes)}; WhatsApp ${media.kind} files over ${megabytes(limit)} cannot be carried`,
    {
      retryable: false,
      code: 'media_too_large',
    },
  );
}

/** Counts and hashes the bytes as they stream; errors the stream on a size overrun or a digest mismatch. */
function checked(
  body: ReadableStream<Uint8Array>,
  media: InboundMedia,
  limit: number,
  digest: Buffer | undefined,
): ReadableStream<Uint8Array> {
  const hash = createHash('sha256');
  let bytes = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes > limit) return controller.error(tooBig(media, bytes, limit));
        hash.update(chunk);
        controller.enqueue(chunk);
      },
      flush(controller) {
        if (digest && !hash.digest().equals(digest)) {
          controller.error(
            new ProviderError(`the ${media.kind} downloaded from WhatsApp does not match its sha256`, {
              retryable: true,
              code: 'sha256_mismatch',
            }),
          );
        }
      },
    }),
  );
}

/**
 * `GET` of the media URL Graph handed out. That URL is Graph's word, not ours, so it goes through the
 * address policy (src/net/guarded-get.ts) like a connector's: redirects followed by hand, each checked,
 * and the Bearer token only for the URL's own origin. The timeout runs until the headers arrive.
 */
async function downloadMediaUrl(ctx: GraphContext, mediaUrl: string): Promise<Response> {
  let url: URL;
  try {
    url = new URL(mediaUrl);
  } catch {
    throw new ProviderError('WhatsApp answered with a media URL that is not a URL', { retryable: true });
  }
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('no answer in time', 'TimeoutError')),
    ctx.timeoutMs,
  );
  try {
    const { response } = await guardedGet(url, {
      fetch: ctx.fetch,
      policy: ctx.mediaPolicy,
      signal: controller.signal,
      headersFor: (hop): Record<string, string> =>
        hop.origin === url.origin ? { authorization: `Bearer ${ctx.accessToken}` } : {},
      describe: (hop) => `${hop.origin}${hop.pathname}`,
    });
    return response;
  } catch (cause) {
    if (cause instanceof GuardedGetError)
      throw new ProviderError(`the media URL WhatsApp gave was refused: ${cause.message}`, {
        retryable: false,
        code: cause.code,
        cause,
      });
    const reason = controller.signal.aborted
      ? `WhatsApp did not answer within ${+(ctx.timeoutMs / 1000).toFixed(1)} s`
      : `could not reach WhatsApp: ${(cause as Error).message}`;
    throw new ProviderError(reason, {
      retryable: true,
      retryAfterSeconds: 5,
      code: controller.signal.aborted ? 'timeout' : 'network',
      cause,
    });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Two steps, both with the Bearer token: `GET /{version}/{media-id}` for a URL valid 5 minutes, then
 * `GET <url>`. An expired URL is refreshed by asking for the metadata again.
 */
export async function fetchWhatsAppMedia(
  ctx: GraphContext,
  phoneNumberId: string,
  media: InboundMedia,
  maxBytes: number,
): Promise<MediaBlob> {
  const limit = Math.min(limitFor(media.kind), maxBytes);
  for (let attempt = 0; ; attempt++) {
    const metaUrl = graphUrl(
      ctx,
      `${encodeURIComponent(media.ref)}?phone_number_id=${encodeURIComponent(phoneNumberId)}`,
    );
    const meta = await graphJson(ctx, metaUrl, waMediaMetadataSchema);
    if (meta.file_size !== undefined && meta.file_size > limit) throw tooBig(media, meta.file_size, limit);
    const res = await downloadMediaUrl(ctx, meta.url);
    if (EXPIRED.has(res.status) && attempt < MAX_URL_REFRESHES) {
      await res.body?.cancel();
      continue;
    }
    if (!res.ok) await throwForResponse(res);
    if (!res.body) throw new ProviderError('WhatsApp returned the media with no body', { retryable: true });
    const length = Number(res.headers.get('content-length') ?? NaN);
    if (length > limit) {
      await res.body.cancel();
      throw tooBig(media, length, limit);
    }
    return {
      contentType: meta.mime_type || media.contentType || 'application/octet-stream',
      filename: media.filename,
      sizeBytes: meta.file_size ?? (Number.isFinite(length) ? length : undefined),
      body: checked(res.body, media, limit, digestOf(meta.sha256)),
    };
  }
}
