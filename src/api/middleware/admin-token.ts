import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from '../http-error.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * `Authorization: Bearer <BRIDGE_ADMIN_TOKEN>` for the bridge's own admin endpoints. Compared in constant time
 * (on digests, so the length leaks nothing). Without a configured token every admin call is refused.
 */
export function adminToken(expected: string | undefined): RequestHandler {
  const want = expected ? digest(expected) : undefined;
  return function requireAdminToken(req, _res, next) {
    if (!want) throw new HttpError(403, 'admin endpoints are disabled: set BRIDGE_ADMIN_TOKEN');
    const header = req.get('authorization') ?? '';
    const given = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    if (!given || !timingSafeEqual(digest(given), want)) throw new HttpError(401, 'a valid admin token is required (Authorization: Bearer <BRIDGE_ADMIN_TOKEN>)');
    next();
  };
}
