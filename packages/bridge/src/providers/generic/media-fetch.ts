import type { InboundMedia } from '../../domain/messages.js';
import { ProviderError, type HttpFetch, type MediaBlob } from '../types.js';
import type { AddressPolicy } from '../../net/address-policy.js';
import { GuardedGetError, guardedGet } from '../../net/guarded-get.js';
import { ForbiddenAddressError, InlineMediaNotRefetchableError, isInlineRef } from './errors.js';
import { retryAfterSeconds } from './retry-after.js';

export interface MediaFetchOptions extends AddressPolicy {
  readonly fetch: HttpFetch;
  /** Bytes past this abort the download, whatever Content-Length said. */
  readonly maxBytes: number;
  /** `Name: value`, sent only to the media URL's own origin, never to a redirect elsewhere. */
  readonly authHeader?: string;
  /** Until the response headers arrive. */
  readonly headersTimeoutMs?: number;
  /** For the whole download, body included. */
  readonly totalTimeoutMs?: number;
  readonly maxRedirects?: number;
}

/** `Authorization: Bearer x` → ['Authorization', 'Bearer x']; refuses what is not a header line. */
export function parseAuthHeader(line: string): [string, string] {
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.+)$/.exec(line.trim());
  if (!match)
    throw new ProviderError('the media auth header must look like "Name: value"', {
      retryable: false,
      code: 'bad_media_auth_header',
    });
  return [match[1]!, match[2]!];
}

function statusError(status: number, url: string, retryAfter: string | null): ProviderError {
  const where = `the media host answered HTTP ${status} for ${url}`;
  if (status === 404 || status === 410)
    return new ProviderError(`${where}: the file is no longer available`, { retryable: false, code: status });
  if (status === 401 || status === 403)
    return new ProviderError(`${where}: the download was refused; check the connector's media auth header`, {
      retryable: false,
      code: status,
    });
  if (status === 408 || status === 429 || status >= 500) {
    return new ProviderError(where, {
      retryable: true,
      code: status,
      retryAfterSeconds: retryAfterSeconds(retryAfter),
    });
  }
  return new ProviderError(where, { retryable: false, code: status });
}

/**
 * Downloads a connector's media URL without letting it reach private networks (src/net/guarded-get.ts:
 * every redirect followed by hand and checked, at most `maxRedirects`). The body is streamed and cut
 * off past `maxBytes`, counted after any Content-Encoding was undone.
 */
export async function fetchRemoteMedia(media: InboundMedia, options: MediaFetchOptions): Promise<MediaBlob> {
  if (isInlineRef(media.ref)) throw new InlineMediaNotRefetchableError(media.ref);
  let url: URL;
  try {
    url = new URL(media.ref);
  } catch {
    throw new ProviderError(`the media ref "${media.ref}" is not a URL`, { retryable: false, code: 'bad_media_ref' });
  }
  const origin = url.origin;
  const auth = options.authHeader ? parseAuthHeader(options.authHeader) : undefined;
  const controller = new AbortController();
  const timeouts = { headers: options.headersTimeoutMs ?? 15_000, total: options.totalTimeoutMs ?? 120_000 };
  let phase: 'headers' | 'body' = 'headers';
  const totalTimer = setTimeout(() => controller.abort(new Error('total')), timeouts.total);
  const headersTimer = setTimeout(() => controller.abort(new Error('headers')), timeouts.headers);
  const cleanup = () => {
    clearTimeout(totalTimer);
    clearTimeout(headersTimer);
  };
  const failure = (error: unknown): ProviderError => {
    if (error instanceof ProviderError) return error;
    if (error instanceof GuardedGetError) {
      if (error.code === 'forbidden_address') return new ForbiddenAddressError(error.url, error.reason);
      return new ProviderError(error.reason, { retryable: false, code: error.code });
    }
    if (controller.signal.aborted) {
      const ms = phase === 'headers' ? timeouts.headers : timeouts.total;
      return new ProviderError(
        `the media host did not ${phase === 'headers' ? 'answer' : 'finish sending'} ${url.href} within ${ms / 1000}s`,
        { retryable: true, code: 'timeout', cause: error },
      );
    }
    return new ProviderError(`could not download ${url.href}: ${(error as Error).message}`, {
      retryable: true,
      code: 'network',
      cause: error,
    });
  };

  try {
    const got = await guardedGet(url, {
      fetch: options.fetch,
      policy: options,
      signal: controller.signal,
      headersFor: (hop) => (auth && hop.origin === origin ? { [auth[0]]: auth[1] } : {}),
      maxRedirects: options.maxRedirects,
    });
    const response = got.response;
    url = got.url;
    clearTimeout(headersTimer);
    phase = 'body';
    if (!response.ok) {
      await response.body?.cancel();
      throw statusError(response.status, url.href, response.headers.get('retry-after'));
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > options.maxBytes) {
      await response.body?.cancel();
      throw new ProviderError(`the file at ${url.href} is ${declared} bytes; the limit is ${options.maxBytes}`, {
        retryable: false,
        code: 'too_large',
      });
    }
    return {
      contentType: response.headers.get('content-type') ?? media.contentType ?? 'application/octet-stream',
      filename: media.filename,
      sizeBytes: Number.isFinite(declared) ? declared : media.sizeBytes,
      body: limitedBody(response.body, options.maxBytes, url.href, {
        cleanup,
        failure,
        abort: () => controller.abort(new Error('limit')),
      }),
    };
  } catch (error) {
    cleanup();
    throw failure(error);
  }
}

/** Passes the bytes through, counting; past `maxBytes` it stops the download and errors the stream. */
function limitedBody(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  href: string,
  hooks: { cleanup: () => void; failure: (error: unknown) => ProviderError; abort: () => void },
): ReadableStream<Uint8Array> {
  if (!body) {
    hooks.cleanup();
    return new ReadableStream({ start: (c) => c.close() });
  }
  const reader = body.getReader();
  let received = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          hooks.cleanup();
          controller.close();
          return;
        }
        received += value.byteLength;
        if (received > maxBytes) {
          hooks.cleanup();
          hooks.abort();
          controller.error(
            new ProviderError(
              `the file at ${href} is larger than the limit of ${maxBytes} bytes; the download was stopped`,
              { retryable: false, code: 'too_large' },
            ),
          );
          return;
        }
        controller.enqueue(value);
      } catch (error) {
        const mapped = hooks.failure(error);
        hooks.cleanup();
        controller.error(mapped);
      }
    },
    cancel(reason) {
      hooks.cleanup();
      return reader.cancel(reason);
    },
  });
}
