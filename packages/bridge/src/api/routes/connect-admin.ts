import { Router } from 'express';
import type { Account, Store } from '../../store/types.js';
import { adminGuard } from '../admin/guard.js';
import { HttpError } from '../http-error.js';

/** A connected account as the admin API shows it: named fields only, so nothing the store adds (a secret) leaks. */
export interface AdminAccount {
  readonly accountId: string;
  readonly provider: string;
  readonly portalId: string;
  readonly channelId: string;
  readonly name: string;
  /** On (`true`) or off in HubSpot: an account turned off holds its messages. */
  readonly authorized: boolean;
  readonly deliveryIdentifier: Account['deliveryIdentifier'];
  readonly inboxId?: string;
}

const adminAccount = (a: Account & { readonly inboxId?: string }): AdminAccount => ({
  accountId: a.accountId,
  provider: a.provider,
  portalId: a.portalId,
  channelId: a.channelId,
  name: a.name,
  authorized: a.authorized,
  deliveryIdentifier: { type: a.deliveryIdentifier.type, value: a.deliveryIdentifier.value },
  ...(a.inboxId ? { inboxId: a.inboxId } : {}),
});

/**
 * `/admin/portals` and `/admin/accounts`: what is installed and connected, for operators and `channel-bridge accounts`.
 * Ids and states only; never a secret (listAccounts reads no credentials). Behind the one admin guard.
 */
export function connectAdminRouter(store: Store, token: string | undefined): Router {
  const router = Router();
  const guard = adminGuard(token);
  router.get('/admin/portals', guard, async function portals(_req, res) {
    const listed = await store.listPortals();
    res.json({
      portals: listed.map((p) => ({
        portalId: p.portalId,
        status: p.status,
        ...(p.statusReason ? { statusReason: p.statusReason } : {}),
        expiresAt: p.expiresAt,
      })),
    });
  });
  router.get('/admin/accounts', guard, async function accounts(_req, res) {
    res.json({ accounts: (await store.listAccounts()).map(adminAccount) });
  });
  router.get('/admin/accounts/:id', guard, async function account(req, res) {
    const id = String(req.params.id);
    const found = (await store.listAccounts()).find((a) => a.accountId === id);
    if (!found) throw new HttpError(404, `no account ${id} is connected`);
    res.json(adminAccount(found));
  });
  return router;
}
