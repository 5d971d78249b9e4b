import { randomUUID } from 'node:crypto';
import { toHubSpotError } from './errors.js';

/** One file to put in HubSpot Files, as a stream so it is never held whole in memory. */
export interface FileUpload {
  readonly fileName: string;
  readonly contentType: string;
  readonly body: ReadableStream<Uint8Array>;
  /** Folder the bridge keeps conversation media in; created by HubSpot when missing. */
  readonly folderPath: string;
  /**
   * `RETURN_EXISTING` makes a retried upload (after an answer was lost) return the file the first try
   * created, when the folder and name are unique to the item. @default 'NONE'
   */
  readonly duplicateValidationStrategy?: 'NONE' | 'RETURN_EXISTING';
  /** Called with the bytes sent so far, after each chunk (activities heartbeat here). */
  readonly onProgress?: (bytesSent: number) => void;
  readonly signal?: AbortSignal;
}

/** The fields of HubSpot's `File` the bridge reads. */
export interface UploadedFile {
  readonly id: string;
  readonly name?: string;
  readonly size?: number;
}

const quote = (value: string) => value.replace(/["\r\n\\]/g, '_');

function field(boundary: string, name: string, value: string): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
}

/**
 * `multipart/form-data` for `POST /files/v3/files`, streamed: the text parts, then the file's bytes as
 * they arrive from the provider, then the closing boundary. `options` is a JSON string
 * (https://developers.hubspot.com/docs/api-reference/files-files-v3/guide).
 */
export function multipartStream(upload: FileUpload, boundary: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const head =
    field(boundary, 'folderPath', upload.folderPath) +
    field(boundary, 'fileName', upload.fileName) +
    field(
      boundary,
      'options',
      JSON.stringify({
        access: 'PRIVATE',
        overwrite: false,
        duplicateValidationStrategy: upload.duplicateValidationStrategy ?? 'NONE',
        ...(upload.duplicateValidationStrategy === 'RETURN_EXISTING'
          ? { duplicateValidationScope: 'EXACT_FOLDER' }
          : {}),
      }),
    ) +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quote(upload.fileName)}"\r\n` +
    `Content-Type: ${upload.contentType}\r\n\r\n`;
  const reader = upload.body.getReader();
  let sent = 0;
  let phase: 'head' | 'body' | 'done' = 'head';
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (phase === 'head') {
        phase = 'body';
        controller.enqueue(encoder.encode(head));
        return;
      }
      if (phase === 'done') return;
      const { done, value } = await reader.read();
      if (done) {
        phase = 'done';
        controller.enqueue(encoder.encode(`\r\n--${boundary}--\r\n`));
        controller.close();
        return;
      }
      sent += value.byteLength;
      upload.onProgress?.(sent);
      controller.enqueue(value);
    },
    async cancel(reason) {
      await reader.cancel(reason);
    },
  });
}

/**
 * Uploads with plain `fetch` rather than `@hubspot/api-client`'s `filesApi.upload`, which needs the
 * whole file as one Blob: here the provider's download streams straight into HubSpot.
 */
export async function uploadFile(
  baseUrl: string,
  accessToken: string,
  upload: FileUpload,
  fetchImpl: typeof fetch = fetch,
): Promise<UploadedFile> {
  const boundary = `bridge-${randomUUID()}`;
  const res = await fetchImpl(`${baseUrl}/files/v3/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: multipartStream(upload, boundary),
    signal: upload.signal,
    // Node's fetch needs this to send a stream body.
    duplex: 'half',
  } as RequestInit);
  if (!res.ok) throw await toHubSpotError(res);
  return (await res.json()) as UploadedFile;
}
