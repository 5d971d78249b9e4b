import { Router } from 'express';
import { z } from 'zod';
import { requirePortal } from '../auth.js';
import { notFound } from '../errors.js';
import type { HubSpotSandboxState, SandboxChannelAccount } from '../state.js';
import { parseOrThrow } from '../validate.js';
import { deliveryIdentifierSchema } from './shared.js';

const accountEgg = z.object({
  inboxId: z.string().min(1),
  name: z.string().min(1),
  authorized: z.boolean(),
  deliveryIdentifier: deliveryIdentifierSchema.optional(),
});

export function publicAccount(a: SandboxChannelAccount) {
  const { portalId: _portalId, ...rest } = a;
  return rest;
}

/** Channel accounts, with the portal's bearer token. */
export function channelAccountRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  const base = '/conversations/v3/custom-channels/:channelId/channel-accounts';
  router.post(base, function createChannelAccount(req, res) {
    const portal = requirePortal(state, req);
    if (!state.channels.has(req.params.channelId)) throw notFound(`Channel ${req.params.channelId}`);
    const egg = parseOrThrow(accountEgg, req.body);
    const account: SandboxChannelAccount = {
      id: state.nextId(),
      channelId: req.params.channelId,
      portalId: portal.portalId,
      active: true,
      archived: false,
      createdAt: new Date().toISOString(),
      ...egg,
    };
    state.channelAccounts.set(account.id, account);
    res.status(201).json(publicAccount(account));
  });
  router.get(`${base}/:channelAccountId`, function getChannelAccount(req, res) {
    const portal = requirePortal(state, req);
    const account = state.channelAccounts.get(req.params.channelAccountId);
    if (!account || account.portalId !== portal.portalId || account.channelId !== req.params.channelId) {
      throw notFound(`Channel account ${req.params.channelAccountId}`);
    }
    res.json(publicAccount(account));
  });
  return router;
}
