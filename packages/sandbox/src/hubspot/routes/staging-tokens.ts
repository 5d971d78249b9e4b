import { Router } from 'express';
import { z } from 'zod';
import { requirePortal, SCOPES } from '../auth.js';
import { conflict, notFound } from '../errors.js';
import { publicStagingToken } from '../public.js';
import type { HubSpotSandboxState } from '../state.js';
import { parseOrThrow } from '../validate.js';
import { CHANNEL_PREFIXES, deliveryIdentifierSchema, liveChannel, pathParams } from './shared.js';

const stagingTokenUpdate = z.object({
  accountName: z.string().min(1).optional(),
  deliveryIdentifier: deliveryIdentifierSchema.optional(),
});

/**
 * The integration's half of the connection flow (the connection setup flow in
 * https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/guide;
 * https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/channel-accounts/update-custom-channel):
 * it names the account and its delivery identifier
 * on the staging token HubSpot created when the admin clicked "Connect". 409 once the account exists.
 */
export function stagingTokenRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  for (const prefix of CHANNEL_PREFIXES) {
    router.patch(
      `${prefix}/:channelId/channel-account-staging-tokens/:accountToken`,
      function updateStagingToken(req, res) {
        const portal = requirePortal(state, req, SCOPES.customChannelsWrite);
        const channel = liveChannel(state, pathParams(req).channelId);
        const token = state.stagingTokens.get(pathParams(req).accountToken);
        if (!token || token.portalId !== portal.portalId || token.channelId !== channel.id)
          throw notFound(`Staging token ${pathParams(req).accountToken}`);
        if (token.channelAccountId) {
          throw conflict(
            `Staging token ${token.accountToken} was already used to create channel account ${token.channelAccountId}`,
            'CustomChannelsError.STAGING_TOKEN_ALREADY_USED',
          );
        }
        const update = parseOrThrow(stagingTokenUpdate, req.body);
        if (update.accountName !== undefined) token.accountName = update.accountName;
        if (update.deliveryIdentifier !== undefined) token.deliveryIdentifier = update.deliveryIdentifier;
        res.json(publicStagingToken(token));
      },
    );
  }
  return router;
}
