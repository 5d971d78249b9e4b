import { Router } from 'express';
import { deadLetterRoutes, type DeadLetterAdminDeps } from '../admin/dead-letters.js';
import { adminGuard } from '../admin/guard.js';
import { toHttpError } from '../admin/errors.js';
import { HttpError } from '../http-error.js';
import { adminOpenApi } from '../openapi/admin.js';
import { listMessages, retryMessage, showMessage, type InspectContext } from '../../inspect/index.js';

export interface AdminDeps extends InspectContext {
  /** BRIDGE_ADMIN_TOKEN; unset means every admin call answers 503. */
  readonly token?: string;
  /** `/admin/dead-letters`; without it those routes answer 503. */
  readonly deadLetters?: DeadLetterAdminDeps;
}

const one = (value: unknown, name: string): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new HttpError(400, `${name} must be given once`);
  return value;
};

/**
 * `/admin`: the CLI's `messages show|list|retry`, dead letters and the API's OpenAPI document, all behind the admin
 * token. The guard sits on each route, not on the `/admin` prefix, so a request for no route still answers 404.
 */
export function adminRouter(deps: AdminDeps): Router {
  const router = Router();
  const guard = adminGuard(deps.token);
  router.get('/admin/openapi.json', guard, function openApi(_req, res) {
    res.json(adminOpenApi);
  });
  router.get('/admin/messages', guard, async function listAdminMessages(req, res) {
    const q = req.query;
    const limitText = one(q.limit, 'limit');
    const limit = limitText === undefined ? undefined : Number(limitText);
    const filter = {
      account: one(q.account, 'account'),
      conversation: one(q.conversation, 'conversation'),
      status: one(q.status, 'status'),
      direction: one(q.direction, 'direction'),
      since: one(q.since, 'since'),
      until: one(q.until, 'until'),
      limit,
    };
    const messages = await listMessages(deps, filter).catch(toHttpError);
    res.json({ messages });
  });
  router.get('/admin/messages/:id', guard, async function showAdminMessage(req, res) {
    res.json(await showMessage(deps, String(req.params.id)).catch(toHttpError));
  });
  router.post('/admin/messages/:id/retry', guard, async function retryAdminMessage(req, res) {
    res
      .status(202)
      .json(await retryMessage(deps, String(req.params.id), `retried through the admin API`).catch(toHttpError));
  });
  deadLetterRoutes(router, guard, deps.deadLetters);
  return router;
}
