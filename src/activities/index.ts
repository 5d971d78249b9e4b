import { createInboundActivities, type InboundActivityDeps } from './inbound.js';

export type ActivityDeps = InboundActivityDeps;

/** Built once per worker with real clients; workflows import only the type. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createInboundActivities(deps),
  };
}

export type BridgeActivities = ReturnType<typeof createActivities>;
