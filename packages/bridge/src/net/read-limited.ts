/** Thrown when a body is larger than the reader's limit; `receivedBytes` is what was seen (or declared) by then. */
export class TooManyBytesError extends Error {
  constructor(
    readonly receivedBytes: number,
    readonly maxBytes: number,
  ) {
    super(`the body is larger than ${maxBytes} bytes (${receivedBytes} seen before stopping)`);
    this.name = 'TooManyBytesError';
  }
}

/**
 * The body's size as the sender declared it, or undefined when that says nothing about the bytes we
 * will read: fetch undoes a Content-Encoding, so a gzip body's Content-Length is its compressed size.
 */
export function declaredLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding');
  if (encoding && encoding.toLowerCase() !== 'identity') return undefined;
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  return Number.isFinite(length) ? length : undefined;
}

/**
 * Reads a whole body, stopping as soon as it passes `maxBytes` (counted after decoding, so a small
 * gzip that inflates past the limit is stopped there, not after inflating). A declared size over the
 * limit is refused before reading anything.
 */
export async function readLimited(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = declaredLength(response);
  if (declared !== undefined && declared > maxBytes) {
    await response.body?.cancel();
    throw new TooManyBytesError(declared, maxBytes);
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw new TooManyBytesError(received, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
