import { ProviderError, type HttpFetch } from '../types.js';
import { retryAfterSeconds } from '../generic/retry-after.js';
import { explainTwilioCode } from './error-codes.js';
import type { TwilioApiError } from './wire-types.js';

export const DEFAULT_TWILIO_API_BASE_URL = 'https://api.twilio.com';

/** Where and as whom the REST API is called. The auth token only ever sits in the Authorization header. */
export interface TwilioEndpoint {
  readonly accountSid: string;
  readonly authToken: string;
  /** @default https://api.twilio.com (the emulator's URL in tests and local runs) */
  readonly apiBaseUrl?: string;
  readonly fetch: HttpFetch;
  /** @default 15 s */
  readonly timeoutMs?: number;
}

export const basicAuth = (e: Pick<TwilioEndpoint, 'accountSid' | 'authToken'>) =>
  `Basic ${Buffer.from(`${e.accountSid}:${e.authToken}`).toString('base64')}`;

export const accountUrl = (e: TwilioEndpoint, path = '') =>
  `${(e.apiBaseUrl ?? DEFAULT_TWILIO_API_BASE_URL).replace(/\/$/, '')}/2010-04-01/Accounts/${e.accountSid}${path}`;

async function errorBody(response: Response): Promise<TwilioApiError> {
  try {
    return (await response.json()) as TwilioApiError;
  } catch {
    return {};
  }
}

/** Twilio's error answer → a ProviderError: 429 (or 20429) and 5xx are worth retrying, other 4xx are not. */
export async function twilioApiError(response: Response): Promise<ProviderError> {
  const body = await errorBody(response);
  const { status } = response;
  const code = typeof body.code === 'number' ? body.code : undefined;
  if (status === 429 || code === 20429) {
    return new ProviderError('Twilio is rate limiting this account (HTTP 429); will retry', {
      retryable: true,
      code: code ?? 429,
      retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after')),
    });
  }
  if (status >= 500)
    return new ProviderError(`Twilio answered HTTP ${status}${body.message ? ` (${body.message})` : ''}; will retry`, {
      retryable: true,
      code: code ?? status,
    });
  if (status === 401)
    return new ProviderError(explainTwilioCode(20003).reason, { retryable: false, code: code ?? 20003 });
  const info = explainTwilioCode(code, body.message);
  return new ProviderError(info.reason, { retryable: info.retryable, code: code ?? status });
}

/** One REST call: form-encoded POST or a GET, Basic auth, JSON back. Network failures and timeouts are retryable. */
export async function twilioCall<T>(e: TwilioEndpoint, url: string, form?: URLSearchParams): Promise<T> {
  const timeoutMs = e.timeoutMs ?? 15_000;
  let response: Response;
  try {
    response = await e.fetch(url, {
      method: form ? 'POST' : 'GET',
      headers: {
        authorization: basicAuth(e),
        accept: 'application/json',
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form?.toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new ProviderError(`Twilio did not answer within ${timeoutMs / 1000}s`, {
        retryable: true,
        code: 'timeout',
        cause: error,
      });
    throw new ProviderError(`could not reach Twilio: ${(error as Error).message}`, {
      retryable: true,
      code: 'network',
      cause: error,
    });
  }
  if (!response.ok) throw await twilioApiError(response);
  return (await response.json()) as T;
}
