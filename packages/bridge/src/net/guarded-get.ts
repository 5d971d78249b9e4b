import { refusalFor, type AddressPolicy } from './address-policy.js';
import { forbiddenAddressCause } from './guarded-connect.js';

/**
 * Thrown when a download must not go on: the URL or a redirect points somewhere the address policy
 * refuses (`forbidden_address`), or the redirects do not lead anywhere (`too_many_redirects`,
 * `redirect_without_location`). Retrying cannot fix any of them.
 */
export class GuardedGetError extends Error {
  constructor(
    readonly code: 'forbidden_address' | 'too_many_redirects' | 'redirect_without_location',
    /** The URL as `describe` shows it: never a credential. */
    readonly url: string,
    readonly reason: string,
  ) {
    super(code === 'forbidden_address' ? `refused to fetch ${url}: ${reason}` : reason);
    this.name = 'GuardedGetError';
  }
}

export interface GuardedGetOptions {
  readonly fetch: typeof fetch;
  readonly policy: AddressPolicy;
  readonly signal?: AbortSignal;
  /** Headers for one hop. Give credentials only to the origin they belong to, never to a redirect elsewhere. */
  readonly headersFor?: (url: URL) => Record<string, string>;
  /** @default 5 */
  readonly maxRedirects?: number;
  /** How a URL appears in reasons; some download URLs (HubSpot's, a bot API's) carry a credential. @default href */
  readonly describe?: (url: URL) => string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GET that follows redirects by hand, checking the address policy before every hop (fetch's own
 * redirect handling would connect first and ask later). With a fetch from `createGuardedFetch`, the
 * connection itself is checked too, which closes the DNS-rebinding gap between check and connect.
 * Returns the first answer that is not a redirect; its body is the caller's to read or cancel.
 */
export async function guardedGet(start: URL, options: GuardedGetOptions): Promise<{ response: Response; url: URL }> {
  const describe = options.describe ?? ((url: URL) => url.href);
  const maxRedirects = options.maxRedirects ?? 5;
  let url = start;
  for (let hop = 0; ; hop++) {
    const refusal = await refusalFor(url, options.policy);
    if (refusal)
      throw new GuardedGetError(
        'forbidden_address',
        describe(url),
        hop === 0 ? refusal : `${refusal} (reached by redirect)`,
      );
    let response: Response;
    try {
      response = await options.fetch(url, {
        redirect: 'manual',
        headers: options.headersFor?.(url) ?? {},
        signal: options.signal,
      });
    } catch (error) {
      const forbidden = forbiddenAddressCause(error);
      if (forbidden) throw new GuardedGetError('forbidden_address', describe(url), forbidden.message);
      throw error;
    }
    if (!REDIRECTS.has(response.status)) return { response, url };
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (!location)
      throw new GuardedGetError(
        'redirect_without_location',
        describe(url),
        `the media host answered HTTP ${response.status} without a Location for ${describe(url)}`,
      );
    if (hop >= maxRedirects)
      throw new GuardedGetError(
        'too_many_redirects',
        describe(url),
        `the media URL redirected more than ${maxRedirects} times`,
      );
    url = new URL(location, url);
  }
}
