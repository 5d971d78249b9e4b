import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { HttpError } from '../http-error.js';

/** The console's cookie. Not `__Host-`: that prefix needs `Secure`, which loopback http cannot have. */
export const SESSION_COOKIE = 'bridge_console';
const COOKIE_PATH = '/console';
/** A browser session is signed out after this long; the operator signs in again. */
const SESSION_SECONDS = 8 * 3600;

const digest = (s: string) => createHash('sha256').update(s).digest();
const sameText = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/**
 * What the cookie and forms carry instead of the admin token itself: values derived from it, so a leaked cookie is
 * no bearer token for /admin/*, and changing BRIDGE_ADMIN_TOKEN signs every console out.
 */
export function consoleSecrets(adminToken: string) {
  const derive = (purpose: string) =>
    createHmac('sha256', adminToken).update(`channel-bridge console ${purpose} v1`).digest('base64url');
  return { session: derive('session'), csrf: derive('csrf') };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * http is accepted on loopback only (a local sandbox, a tunnel's far end); anywhere else the cookie is Secure. Behind a
 * TLS-terminating proxy the api sees http, so `X-Forwarded-Proto: https` is taken as the browser's side; believing it
 * costs nothing, since the cookie is Secure either way and a browser on plain http would not keep it.
 */
export function cookieSecurity(req: Request): { secure: boolean } | { refused: string } {
  if (req.secure) return { secure: true };
  if (LOOPBACK.has(req.hostname)) return { secure: false };
  if (req.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https') return { secure: true };
  return {
    refused:
      'the console signs in over https only (http is accepted on 127.0.0.1 and localhost): open it through https',
  };
}

export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export function startSession(res: Response, adminToken: string, secure: boolean): void {
  res.cookie(SESSION_COOKIE, consoleSecrets(adminToken).session, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: COOKIE_PATH,
    maxAge: SESSION_SECONDS * 1000,
  });
}

export function endSession(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: COOKIE_PATH });
}

export function hasSession(req: Request, adminToken: string | undefined): boolean {
  const given = cookieOf(req, SESSION_COOKIE);
  return Boolean(adminToken && given && sameText(given, consoleSecrets(adminToken).session));
}

/** Thrown (as an HttpError) by the guard when the browser has no valid session: the console sends it to sign in. */
export class SignInNeeded extends HttpError {
  constructor() {
    super(401, 'sign in to the console first');
  }
}

/** GET pages and JSON: a session cookie from this token, or a redirect to the login form. */
export function requireSession(adminToken: string | undefined): RequestHandler {
  return function consoleSession(req, _res, next) {
    if (!adminToken) throw new HttpError(503, 'the console is disabled: set BRIDGE_ADMIN_TOKEN to enable it');
    if (!hasSession(req, adminToken)) throw new SignInNeeded();
    next();
  };
}

/**
 * POST actions: besides the SameSite=Strict cookie, the form's `csrf` field must match, and a browser's Origin (or
 * Sec-Fetch-Site) must be this site, so another page cannot make the operator's browser retry a message.
 */
export function requireSameOrigin(adminToken: string | undefined, checkCsrf = true): RequestHandler {
  return function consoleCsrf(req, _res, next) {
    // The admin guard's answer (src/api/admin/guard.ts): without a token the console is disabled, not "stale".
    if (!adminToken) throw new HttpError(503, 'the console is disabled: set BRIDGE_ADMIN_TOKEN to enable it');
    const site = req.get('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none')
      throw new HttpError(403, 'refused: the form was sent from another site');
    // A page whose referrer policy is no-referrer posts `Origin: null`; Sec-Fetch-Site still tells where it came from.
    const origin = req.get('origin');
    const sameSite = origin === `${req.protocol}://${req.get('host')}` || (origin === 'null' && site === 'same-origin');
    if (origin && !sameSite) throw new HttpError(403, 'refused: the form was sent from another site');
    if (checkCsrf) {
      const given = (req.body as Record<string, unknown> | undefined)?.csrf;
      if (!adminToken || typeof given !== 'string' || !sameText(given, consoleSecrets(adminToken).csrf))
        throw new HttpError(403, 'refused: the form is stale or from elsewhere; reload the page and try again');
    }
    next();
  };
}

/** Whether a typed token is the admin token, in constant time. */
export function isAdminToken(given: unknown, adminToken: string): boolean {
  return typeof given === 'string' && given !== '' && sameText(given, adminToken);
}
