import type { CallSlotStore } from '../store/inbound-types.js';
import type { RateLimitPolicy } from './inbound-settings.js';

/**
 * Runs one HubSpot call of a portal once a slot is free; `onWait` lets an activity heartbeat while it
 * waits, or stop waiting by throwing. The slot counts from when the call finished.
 */
export type PortalPacer = <T>(portalId: string, call: () => Promise<T>, onWait?: (waitMs: number) => void) => Promise<T>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * HubSpot's limit is per app per portal (https://developers.hubspot.com/changelog/heads-up-new-and-improved-hubspot-api-limits), and several worker processes
 * share it, so the slots live in the store every worker opens rather than in one process's memory
 * (bottleneck or p-limit would pace one process only; bottleneck's clustering needs Redis). A slot is
 * re-stamped when its call ends, and the window has a 5 % margin, so a late-arriving request never
 * lands in HubSpot's next window twice: a backlog drains without 429s.
 */
export function createPortalPacer(store: CallSlotStore, policy: RateLimitPolicy, now: () => number = Date.now): PortalPacer {
  const windowMs = Math.ceil(policy.intervalMs * 1.05);
  return async function paced(portalId, call, onWait) {
    const key = `hubspot:${portalId}`;
    for (;;) {
      const takenAt = now();
      const waitMs = await store.takeCallSlot(key, policy.max, windowMs, takenAt);
      if (waitMs === 0) {
        try {
          return await call();
        } finally {
          await store.stampCallSlot?.(key, takenAt, now());
        }
      }
      onWait?.(waitMs);
      // A little jitter so waiting callers do not all retry in the same millisecond.
      await sleep(Math.min(waitMs, 1_000) + Math.floor(Math.random() * 20));
    }
  };
}
