import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from '../http-error.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The answer of every admin route while no BRIDGE_ADMIN_TOKEN is configured: the API exists but is switched off. */
export const ADMIN_DISABLED = {
  status: 503,
  reason: 'admin API disabled: set BRIDGE_ADMIN_TOKEN to enable it',
} as const;

/**
 * The one gate of every `/admin/*` route (docs/OPERATING.md § The admin API): 503 "admin API disabled" while no
 * BRIDGE_ADMIN_TOKEN is configured, 401 with a reason on a missing or wrong `Authorization: Bearer <token>`. 503 rather
 * than 403: no credential could pass, and turning the API on is the operator's configuration, not the caller's
 * right. Compared in constant time on digests, so the token's length leaks nothing.
 */
export function adminGuard(token: string | undefined): RequestHandler {
  const want = token ? digest(token) : undefined;
  return function requireAdmin(req, _res, next) {
    if (!want) throw new HttpError(ADMIN_DISABLED.status, ADMIN_DISABLED.reason);
    const given = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!given) throw new HttpError(401, 'admin token missing: send Authorization: Bearer <BRIDGE_ADMIN_TOKEN>');
    if (!timingSafeEqual(digest(given), want)) throw new HttpError(401, 'admin token is wrong');
    next();
  };
}
