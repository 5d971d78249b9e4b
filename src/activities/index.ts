import { createInboundActivities, type InboundActivityDeps } from './inbound.js';
import { createOutboundActivities, type OutboundActivityDeps } from './outbound.js';

export type ActivityDeps = InboundActivityDeps & OutboundActivityDeps;

/** Built once per worker with real clients; workflows import only the type. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createInboundActivities(deps),
    ...createOutboundActivities(deps),
  };
}

export type BridgeActivities = ReturnType<typeof createActivities>;
