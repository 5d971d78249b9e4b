import type { CallSlotStore } from '../store/inbound-types.js';
import type { RateLimitPolicy } from './inbound-settings.js';

/** Waits for one HubSpot call slot of a portal; `onWait` lets an activity heartbeat while it waits. */
export type PortalPacer = (portalId: string, onWait?: (waitMs: number) => void) => Promise<void>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * HubSpot's limit is per app per portal (reference/hubspot.md §11.3), and several worker processes
 * share it, so the slots live in the store every worker opens rather than in one process's memory
 * (bottleneck or p-limit would pace one process only; bottleneck's clustering needs Redis). A small
 * margin on the window absorbs clock skew between us and HubSpot, so a backlog drains without 429s.
 */
export function createPortalPacer(store: CallSlotStore, policy: RateLimitPolicy, now: () => number = Date.now): PortalPacer {
  const windowMs = Math.ceil(policy.intervalMs * 1.05);
  return async function pace(portalId, onWait) {
    for (;;) {
      const waitMs = await store.takeCallSlot(`hubspot:${portalId}`, policy.max, windowMs, now());
      if (waitMs === 0) return;
      onWait?.(waitMs);
      // A little jitter so waiting callers do not all retry in the same millisecond.
      await sleep(Math.min(waitMs, 1_000) + Math.floor(Math.random() * 20));
    }
  };
}
