import express, { type RequestHandler } from 'express';

/**
 * Keeps the body as the exact bytes that were signed, whatever the content type, up to `limit`.
 * Signatures are checked on these bytes; nothing is parsed before that. A compressed body is refused
 * (415), never inflated: a small gzip can inflate to gigabytes, and no webhook sender compresses.
 */
export function rawBody(limit: number): RequestHandler {
  return express.raw({ type: () => true, limit, inflate: false });
}
