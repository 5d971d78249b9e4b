import { Router } from 'express';
import type { Store } from '../../store/types.js';
import { adminToken } from '../middleware/admin-token.js';

/** `/admin/*`: what is installed and connected, for operators. Ids and states only; never a secret. */
export function connectAdminRouter(store: Store, token: string | undefined): Router {
  const router = Router();
  router.use('/admin', adminToken(token));
  router.get('/admin/portals', async function portals(_req, res) {
    res.json({ portals: await store.listPortals() });
  });
  router.get('/admin/accounts', async function accounts(_req, res) {
    res.json({ accounts: await store.listAccounts() });
  });
  return router;
}
