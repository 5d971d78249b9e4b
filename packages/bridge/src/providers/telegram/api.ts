import type { AddressPolicy } from '../../net/address-policy.js';
import type { HttpFetch } from '../types.js';
import { networkError, telegramError } from './errors.js';
import { multipartBody, type TelegramUpload } from './multipart.js';
import type { TelegramApiResponse } from './wire-types.js';

/** Where and as whom a Bot API call goes. The token sits in the path, so URLs are never logged. */
export interface TelegramEndpoint {
  /** @default 'https://api.telegram.org' */
  readonly apiBaseUrl: string;
  readonly botToken: string;
  readonly fetch: HttpFetch;
  /**
   * Where a file download may be redirected (the API origin itself is always trusted). @default public addresses only
   */
  readonly mediaPolicy?: AddressPolicy;
}

export const DEFAULT_API_BASE_URL = 'https://api.telegram.org';

export function methodUrl(endpoint: TelegramEndpoint, method: string): string {
  return `${endpoint.apiBaseUrl.replace(/\/+$/, '')}/bot${endpoint.botToken}/${method}`;
}

/** A file URL as reasons and logs may show it: the bot token in its path is replaced. */
export function withoutToken(url: URL): string {
  return url.href.replace(/\/(file\/)?bot[^/]+\//, (_match, file: string | undefined) => `/${file ?? ''}bot<token>/`);
}

export function fileUrl(endpoint: TelegramEndpoint, filePath: string): string {
  const path = filePath.split('/').map(encodeURIComponent).join('/');
  return `${endpoint.apiBaseUrl.replace(/\/+$/, '')}/file/bot${endpoint.botToken}/${path}`;
}

async function readBody(response: Response): Promise<TelegramApiResponse<unknown> | undefined> {
  try {
    return (await response.json()) as TelegramApiResponse<unknown>;
  } catch {
    return undefined;
  }
}

function requestInit(params: Record<string, unknown> | FormData | TelegramUpload): RequestInit {
  if (params instanceof FormData) return { method: 'POST', body: params };
  if (isUpload(params)) {
    const { body, contentType } = multipartBody(params);
    return { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) };
  }
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) };
}

const isUpload = (params: object): params is TelegramUpload =>
  'file' in params && 'fields' in params && Buffer.isBuffer((params as TelegramUpload).file?.data);

/**
 * Calls one Bot API method: JSON for plain parameters, multipart for uploads (a TelegramUpload, or FormData).
 * Throws ProviderError, classified by `telegramError`.
 */
export async function callTelegram<T>(
  endpoint: TelegramEndpoint,
  method: string,
  params: Record<string, unknown> | FormData | TelegramUpload = {},
): Promise<T> {
  const init = requestInit(params);
  let response: Response;
  try {
    response = await endpoint.fetch(methodUrl(endpoint, method), init);
  } catch (error) {
    throw networkError(method, error);
  }
  const body = await readBody(response);
  if (response.ok && body?.ok === true) return body.result as T;
  throw telegramError(method, response.status, body);
}
