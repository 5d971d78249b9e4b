import type { HubSpotLedger } from './hubspot-ledger.js';

/** Where a target's messages are seen done: the HubSpot sandbox's publish, or the bare baseline's activity. */
export interface Completions {
  poll(): Promise<void>;
  /** When the message with this key was done (ms since the epoch), if it was. */
  at(key: string): number | undefined;
  /** How many times it was created (more than 1 = a duplicate); undefined when the source cannot tell. */
  createdCount(key: string): number | undefined;
  /** Where it came in the sink's own record (HubSpot's publish order); absent where the sink keeps no order. */
  order?(key: string): number | undefined;
}

export function ledgerCompletions(ledger: HubSpotLedger): Completions {
  return {
    poll: () => ledger.poll(),
    at: (key) => ledger.firstPublish.get(key)?.at,
    createdCount: (key) => ledger.created.get(key) ?? 0,
    order: (key) => ledger.firstPublish.get(key)?.seq,
  };
}

/** Reads the bare worker's `GET /completions?since=N`: when each no-op activity ran. */
export function bareCompletions(workerUrl: string): Completions {
  const seen = new Map<string, number>();
  const count = new Map<string, number>();
  let since = 0;
  return {
    async poll() {
      const res = await fetch(`${workerUrl}/completions?since=${since}`);
      const body = (await res.json()) as { completions: [string, number][] };
      since += body.completions.length;
      for (const [key, at] of body.completions) {
        if (!seen.has(key)) seen.set(key, at);
        count.set(key, (count.get(key) ?? 0) + 1);
      }
    },
    at: (key) => seen.get(key),
    // An activity may run twice after a retry; that is not a duplicate message, so the bare baseline does not count.
    createdCount: () => undefined,
  };
}

/** Polls until every key is done or the time is up; returns how many are done. */
export async function waitForAll(source: Completions, keys: readonly string[], timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await source.poll();
    const done = keys.filter((k) => source.at(k) !== undefined).length;
    if (done === keys.length || Date.now() >= deadline) return done;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
