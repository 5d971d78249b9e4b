import { createAccountActivities, type AccountActivityDeps } from './account-lifecycle.js';
import { createInboundActivities, type InboundActivityDeps } from './inbound.js';
import { createOutboundActivities, type OutboundActivityDeps } from './outbound.js';

export type ActivityDeps = InboundActivityDeps & OutboundActivityDeps & AccountActivityDeps;

/** Built once per worker with real clients; workflows import only the type. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createInboundActivities(deps),
    ...createOutboundActivities(deps),
    ...createAccountActivities(deps),
  };
}

export type BridgeActivities = ReturnType<typeof createActivities>;

export type { CarriedMedia } from './media.js';
export type { PublishResult, PublishOutcome } from './inbound.js';
