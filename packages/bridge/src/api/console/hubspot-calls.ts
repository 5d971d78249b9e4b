import { CALL_SLOT_KEY_PREFIX, type CallSlotStore } from '../../store/inbound-types.js';

/**
 * HubSpot calls per portal, exactly as the workers' call slots counted them in the store (src/activities/rate-limit.ts
 * takes one slot per request to HubSpot's API, and holds the portal after a 429): no Temporal history is read.
 */
export interface PortalCalls {
  readonly portalId: string;
  /** Requests let through to HubSpot since the time asked for (whole minutes: the one it falls in onwards). */
  readonly calls: number;
  /** Requests in the current window of the limit, to set against it. */
  readonly inWindow: number;
  /** 429s HubSpot answered since the same time. */
  readonly rateLimited: number;
  /** Until when the portal's calls are held after a 429, while that lasts. */
  readonly heldUntilMs?: number;
}

export async function hubSpotCallsByPortal(
  store: CallSlotStore,
  sinceMs: number,
  windowMs: number,
  nowMs: number,
): Promise<PortalCalls[]> {
  const activity = await store.readCallActivity(sinceMs, windowMs, nowMs);
  return activity
    .filter((a) => a.key.startsWith(CALL_SLOT_KEY_PREFIX))
    .map(({ key, calls, inWindow, rateLimited, heldUntilMs }) => ({
      portalId: key.slice(CALL_SLOT_KEY_PREFIX.length),
      calls,
      inWindow,
      rateLimited,
      ...(heldUntilMs === undefined ? {} : { heldUntilMs }),
    }));
}
