import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { GraphError } from './graph-errors.js';
import type { WhatsAppSandboxState } from './state.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Graph's Bearer check; a wrong or missing token is 401 with code 190, as Meta answers. */
export function bearerAuth(state: WhatsAppSandboxState): RequestHandler {
  return function whatsappBearer(req, _res, next) {
    const header = req.get('authorization') ?? '';
    const token = /^Bearer (.+)$/i.exec(header)?.[1]?.trim();
    if (!token)
      return next(
        new GraphError(401, 190, 'An active access token must be used to query information about the current user.'),
      );
    if (!timingSafeEqual(digest(token), digest(state.options.accessToken))) {
      return next(new GraphError(401, 190, 'Invalid OAuth access token - Cannot parse access token'));
    }
    next();
  };
}
