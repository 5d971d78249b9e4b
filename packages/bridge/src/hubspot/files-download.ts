import type { Client } from '@hubspot/api-client';
import type { AddressPolicy } from '../net/address-policy.js';
import { GuardedGetError, guardedGet } from '../net/guarded-get.js';
import { readLimited, TooManyBytesError } from '../net/read-limited.js';
import { toHubSpotError, HubSpotApiError } from './errors.js';

/**
 * `GET /files/v3/files/{fileId}/signed-url` (https://developers.hubspot.com/docs/api-reference/files-files-v3/guide).
 */
interface SignedUrl {
  readonly url: string;
  readonly name?: string;
  readonly extension?: string;
  readonly size?: number;
  readonly type?: string;
}

/** A rep's file, downloaded whole: outbound files are bounded by the provider's limits (tens of MB). */
export interface DownloadedFile {
  readonly fileId: string;
  /** `name.extension`, as the customer will see it. */
  readonly filename: string;
  readonly contentType: string;
  /** HubSpot's file type: IMG, DOCUMENT, AUDIO, MOVIE, OTHER. */
  readonly hubspotType?: string;
  readonly data: Buffer;
}

/** Refuses before downloading a file larger than `maxBytes`, so a 2 GB upload never lands in memory. */
export class FileTooLargeError extends Error {
  constructor(
    readonly filename: string,
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super(`${filename} is ${sizeBytes} bytes, more than the ${maxBytes} bytes the bridge carries`);
    this.name = 'FileTooLargeError';
  }
}

/**
 * Thrown when HubSpot's signed URL, or a redirect from it, points where the bridge does not connect
 * (src/net/address-policy.ts).
 */
export class FileAddressRefusedError extends Error {
  constructor(
    readonly filename: string,
    readonly reason: string,
  ) {
    super(`${filename} could not be fetched: ${reason}`);
    this.name = 'FileAddressRefusedError';
  }
}

export interface FileDownloadOptions {
  readonly fetch: typeof fetch;
  /** Where the signed URL may point: public addresses and HubSpot's own origin (trusted by the caller). */
  readonly policy: AddressPolicy;
  /** @default 60000 */
  readonly timeoutMs?: number;
}

/**
 * Downloads one file of a rep's reply: asks HubSpot for a short-lived signed URL, then GETs it
 * without credentials (the URL is the credential, so only its host is ever shown). The URL and each
 * redirect go through the address policy; the body is read up to `maxBytes` (decoded), never further.
 */
export async function downloadHubSpotFile(
  client: Client,
  fileId: string,
  maxBytes: number,
  options: FileDownloadOptions,
): Promise<DownloadedFile> {
  const res = await client.apiRequest({
    method: 'GET',
    path: `/files/v3/files/${encodeURIComponent(fileId)}/signed-url`,
    qs: { expirationSeconds: 300 },
  });
  if (!res.ok) throw await toHubSpotError(res);
  const signed = (await res.json()) as SignedUrl;
  const filename =
    signed.extension && !signed.name?.endsWith(`.${signed.extension}`)
      ? `${signed.name ?? fileId}.${signed.extension}`
      : (signed.name ?? fileId);
  if (typeof signed.size === 'number' && signed.size > maxBytes)
    throw new FileTooLargeError(filename, signed.size, maxBytes);

  let download: Response;
  try {
    ({ response: download } = await guardedGet(new URL(signed.url), {
      fetch: options.fetch,
      policy: options.policy,
      signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      describe: (url) => `HubSpot's signed URL on ${url.host}`,
    }));
  } catch (error) {
    if (error instanceof GuardedGetError) throw new FileAddressRefusedError(filename, error.message);
    throw error;
  }
  if (!download.ok) {
    await download.body?.cancel();
    // 403/404 means the signed URL expired or the file is gone; a new attempt asks for a new URL.
    throw new HubSpotApiError(download.status >= 500 ? download.status : 503, {
      message: `file ${fileId} download answered ${download.status}`,
    });
  }
  let data: Buffer;
  try {
    data = await readLimited(download, maxBytes);
  } catch (error) {
    if (error instanceof TooManyBytesError) throw new FileTooLargeError(filename, error.receivedBytes, maxBytes);
    throw error;
  }
  const contentType = (download.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim();
  return { fileId, filename, contentType, hubspotType: signed.type, data };
}
