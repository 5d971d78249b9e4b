import type { InboundMedia } from '../../domain/messages.js';
import { ProviderError, type MediaBlob } from '../types.js';
import { basicAuth, DEFAULT_TWILIO_API_BASE_URL, twilioApiError, type TwilioEndpoint } from './api.js';

const MAX_REDIRECTS = 3;

/**
 * Downloads an inbound MMS file from its `MediaUrl{N}`. The URL is Twilio's Media resource, which answers with a
 * redirect to a short-lived storage URL. Basic auth goes to Twilio's own origin only, never to where it redirects
 * (the storage URL is pre-signed) [INFERRED: media are public unless HTTP auth for media is on; sending it always
 * to api.twilio.com works either way].
 */
export async function fetchTwilioMedia(e: TwilioEndpoint, media: InboundMedia, maxBytes: number): Promise<MediaBlob> {
  const apiOrigin = new URL(e.apiBaseUrl ?? DEFAULT_TWILIO_API_BASE_URL).origin;
  let url = new URL(media.ref);
  if (url.origin !== apiOrigin)
    throw new ProviderError(`the media URL ${url.origin} is not Twilio's API`, {
      retryable: false,
      code: 'forbidden_address',
    });
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = url.origin === apiOrigin ? { authorization: basicAuth(e) } : {};
    let response: Response;
    try {
      response = await e.fetch(url, {
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(e.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new ProviderError(`could not download the MMS file: ${(error as Error).message}`, {
        retryable: true,
        code: 'network',
        cause: error,
      });
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url);
      continue;
    }
    if (!response.ok) throw await twilioApiError(response);
    const size = Number(response.headers.get('content-length') ?? NaN);
    if (size > maxBytes) {
      await response.body?.cancel();
      throw new ProviderError(`the MMS file is ${size} bytes, over the ${maxBytes} the bridge takes`, {
        retryable: false,
        code: 'media_too_large',
      });
    }
    return {
      contentType: response.headers.get('content-type') ?? media.contentType ?? 'application/octet-stream',
      ...(Number.isFinite(size) ? { sizeBytes: size } : {}),
      body: response.body ?? new Blob([]).stream(),
    };
  }
  throw new ProviderError(`the MMS file redirected more than ${MAX_REDIRECTS} times`, {
    retryable: false,
    code: 'too_many_redirects',
  });
}
