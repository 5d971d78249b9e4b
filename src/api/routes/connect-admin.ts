import { Router } from 'express';
import type { Store } from '../../store/types.js';
import { adminToken } from '../middleware/admin-token.js';

/**
 * `/admin/portals` and `/admin/accounts`: what is installed and connected, for operators. Ids and states only; never
 * a secret. The guard sits on these routes only, so other `/admin/*` routers keep their own.
 */
export function connectAdminRouter(store: Store, token: string | undefined): Router {
  const router = Router();
  const guard = adminToken(token);
  router.get('/admin/portals', guard, async function portals(_req, res) {
    res.json({ portals: await store.listPortals() });
  });
  router.get('/admin/accounts', guard, async function accounts(_req, res) {
    res.json({ accounts: await store.listAccounts() });
  });
  return router;
}
