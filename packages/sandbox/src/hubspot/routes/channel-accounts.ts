import { Router } from 'express';
import { z } from 'zod';
import { requirePortal, SCOPES } from '../auth.js';
import { validationError } from '../errors.js';
import { page, publicAccount } from '../public.js';
import { SandboxEvent, type HubSpotSandboxState, type SandboxChannelAccount } from '../state.js';
import { parseOrThrow } from '../validate.js';
import { CHANNEL_PREFIXES, deliveryIdentifierSchema, liveChannel, portalAccount, pathParams } from './shared.js';

export { publicAccount } from '../public.js';

const accountEgg = z.object({
  inboxId: z.string().min(1),
  name: z.string().min(1),
  authorized: z.boolean(),
  deliveryIdentifier: deliveryIdentifierSchema.optional(),
});

// inboxId and deliveryIdentifier cannot change through the API (the update takes `authorized` and `name` only:
// https://developers.hubspot.com/docs/api-reference/latest/conversations/custom-channels/channel-accounts/update-custom-channel-channelAccountId);
// strict() refuses them.
const accountUpdate = z.object({ authorized: z.boolean().optional(), name: z.string().min(1).optional() }).strict();

const asArray = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Channel accounts, with the portal's bearer token. There is no DELETE: HubSpot removes accounts in its UI. */
export function channelAccountRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  for (const prefix of CHANNEL_PREFIXES) {
    const base = `${prefix}/:channelId/channel-accounts`;
    router.post(base, function createChannelAccount(req, res) {
      const portal = requirePortal(state, req, SCOPES.customChannelsWrite);
      const channel = liveChannel(state, pathParams(req).channelId);
      const egg = parseOrThrow(accountEgg, req.body);
      const inbox = state.inboxes.get(egg.inboxId);
      if (!inbox || inbox.portalId !== portal.portalId)
        throw validationError(`Inbox ${egg.inboxId} does not exist in portal ${portal.portalId}`, [
          { message: 'unknown inboxId', in: 'inboxId' },
        ]);
      const types = channel.capabilities.deliveryIdentifierTypes;
      if (
        egg.deliveryIdentifier &&
        Array.isArray(types) &&
        types.length > 0 &&
        !types.includes(egg.deliveryIdentifier.type)
      ) {
        throw validationError(
          `Delivery identifier type ${egg.deliveryIdentifier.type} is not one of the channel's deliveryIdentifierTypes`,
          [{ message: 'type not allowed', in: 'deliveryIdentifier.type' }],
        );
      }
      const account: SandboxChannelAccount = {
        id: state.nextId(),
        channelId: channel.id,
        portalId: portal.portalId,
        active: true,
        archived: false,
        createdAt: new Date().toISOString(),
        ...egg,
      };
      state.channelAccounts.set(account.id, account);
      state.events.emit(SandboxEvent.accountUpdated, { id: account.id });
      res.status(201).json(publicAccount(account));
    });
    router.get(base, function listChannelAccounts(req, res) {
      const portal = requirePortal(state, req, SCOPES.customChannelsRead);
      const channel = liveChannel(state, pathParams(req).channelId);
      const archived = req.query.archived === 'true';
      const types = asArray(req.query.deliveryIdentifierType);
      const values = asArray(req.query.deliveryIdentifierValue);
      const accounts = [...state.channelAccounts.values()].filter(
        (a) =>
          a.portalId === portal.portalId &&
          a.channelId === channel.id &&
          a.archived === archived &&
          (types.length === 0 || (a.deliveryIdentifier && types.includes(a.deliveryIdentifier.type))) &&
          (values.length === 0 || (a.deliveryIdentifier && values.includes(a.deliveryIdentifier.value))),
      );
      res.json(page(accounts.map(publicAccount), req.query));
    });
    router.get(`${base}/:channelAccountId`, function getChannelAccount(req, res) {
      const portal = requirePortal(state, req, SCOPES.customChannelsRead);
      liveChannel(state, pathParams(req).channelId);
      res.json(
        publicAccount(
          portalAccount(
            state,
            portal,
            pathParams(req).channelId,
            pathParams(req).channelAccountId,
            req.query.archived === 'true',
          ),
        ),
      );
    });
    router.patch(`${base}/:channelAccountId`, function updateChannelAccount(req, res) {
      const portal = requirePortal(state, req, SCOPES.customChannelsWrite);
      liveChannel(state, pathParams(req).channelId);
      const account = portalAccount(state, portal, pathParams(req).channelId, pathParams(req).channelAccountId);
      const update = parseOrThrow(accountUpdate, req.body);
      if (update.authorized !== undefined) account.authorized = update.authorized;
      if (update.name !== undefined) account.name = update.name;
      state.events.emit(SandboxEvent.accountUpdated, { id: account.id });
      res.json(publicAccount(account));
    });
  }
  return router;
}
