import type { Client } from '@hubspot/api-client';
import { toHubSpotError } from './errors.js';
import { HubSpotApiError } from './errors.js';

/** `GET /files/v3/files/{fileId}/signed-url` (reference/hubspot.md §10.1). */
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
  constructor(readonly filename: string, readonly sizeBytes: number, readonly maxBytes: number) {
    super(`${filename} is ${sizeBytes} bytes, more than the ${maxBytes} bytes the bridge carries`);
    this.name = 'FileTooLargeError';
  }
}

/**
 * Downloads one file of a rep's reply: asks HubSpot for a short-lived signed URL, then GETs it
 * without credentials (the URL is the credential, so it is never logged).
 */
export async function downloadHubSpotFile(client: Client, fileId: string, maxBytes: number, fetchFn: typeof fetch = fetch): Promise<DownloadedFile> {
  const res = await client.apiRequest({ method: 'GET', path: `/files/v3/files/${encodeURIComponent(fileId)}/signed-url`, qs: { expirationSeconds: 300 } });
  if (!res.ok) throw await toHubSpotError(res);
  const signed = (await res.json()) as SignedUrl;
  const filename = signed.extension && !signed.name?.endsWith(`.${signed.extension}`) ? `${signed.name ?? fileId}.${signed.extension}` : (signed.name ?? fileId);
  if (typeof signed.size === 'number' && signed.size > maxBytes) throw new FileTooLargeError(filename, signed.size, maxBytes);

  const download = await fetchFn(signed.url, { redirect: 'follow', signal: AbortSignal.timeout(60_000) });
  if (!download.ok) {
    // 403/404 means the signed URL expired or the file is gone; a new attempt asks for a new URL.
    throw new HubSpotApiError(download.status >= 500 ? download.status : 503, { message: `file ${fileId} download answered ${download.status}` });
  }
  const data = Buffer.from(await download.arrayBuffer());
  if (data.length > maxBytes) throw new FileTooLargeError(filename, data.length, maxBytes);
  const contentType = (download.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim();
  return { fileId, filename, contentType, hubspotType: signed.type, data };
}
