import { limitedChannelAccounts, limitedHubSpotClient, limitedOutboundClient } from '../hubspot/portal-limit.js';
import { createAccountActivities, type AccountActivityDeps } from './account-lifecycle.js';
import { createInboundActivities, type InboundActivityDeps } from './inbound.js';
import { resolveInboundSettings } from './inbound-settings.js';
import { createOutboundActivities, type OutboundActivityDeps } from './outbound.js';
import { createPortalPacer } from './rate-limit.js';
import type { PortalLimiter } from '../hubspot/portal-limit.js';
import { countingLimiter, type HubSpotRequestsCounter } from '../metrics/hubspot-calls.js';
import { withAccountCache } from '../store/account-cache.js';

export type ActivityDeps = InboundActivityDeps &
  OutboundActivityDeps &
  AccountActivityDeps & {
    /**
     * Counts every HubSpot request by portal and answer (bridge_hubspot_requests_total); none in tests that do not ask.
     */
    readonly hubspotRequests?: HubSpotRequestsCounter;
  };

/**
 * Every HubSpot client an activity can reach, with each request going through one limiter per portal (the store's
 * slots, shared by every worker process): inbound and outbound, reads, writes, uploads and downloads. Done here, once,
 * so no activity paces by itself and none can forget to. `inbound.rateLimit` is the portal's whole budget.
 */
export function withPortalLimits(deps: ActivityDeps): ActivityDeps {
  const pace = createPortalPacer(deps.store, resolveInboundSettings(deps.inbound).rateLimit);
  const paced: PortalLimiter = (portalId, call) => pace(portalId, call);
  const limit = deps.hubspotRequests ? countingLimiter(paced, deps.hubspotRequests) : paced;
  return {
    ...deps,
    hubspot: limitedHubSpotClient(deps.hubspot, limit),
    ...(deps.hubspotOutbound ? { hubspotOutbound: limitedOutboundClient(deps.hubspotOutbound, limit) } : {}),
    ...(deps.channelAccounts ? { channelAccounts: limitedChannelAccounts(deps.channelAccounts, limit) } : {}),
  };
}

/**
 * Built once per worker with real clients; workflows import only the type. The activities share one account cache, so
 * the steps of one message read the account (and decrypt its credentials) once; src/store/account-cache.ts says how
 * stale it may be.
 */
export function createActivities(deps: ActivityDeps) {
  const limited = withPortalLimits({ ...deps, store: withAccountCache(deps.store) });
  return {
    ...createInboundActivities(limited),
    ...createOutboundActivities(limited),
    ...createAccountActivities(limited),
  };
}

export type BridgeActivities = ReturnType<typeof createActivities>;

export type { CarriedMedia } from './media.js';
export type { PublishResult, PublishOutcome } from './inbound.js';
