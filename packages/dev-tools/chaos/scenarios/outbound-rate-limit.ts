import type { ChaosContext, Scenario, ScenarioSize } from '../scenario.js';
import type { World } from '../world.js';

/**
 * HubSpot's limit for a public app: 100 calls per 10 s per portal (the sandbox enforces it; the bridge paces to it).
 */
const LIMIT_PER_10S = 100;

type LedgerEntry = { at: string; status: number; fault?: string; method: string; path: string };

/** Calls the bridge made to HubSpot's API during the run, the 429s the limiter answered, and the busiest 10 s. */
async function hubspotCalls(world: World, from: number) {
  const res = await fetch(`${world.system.urls.hubspot}/_sandbox/ledger`);
  const { entries } = (await res.json()) as { entries: LedgerEntry[] };
  const calls = entries.filter((e) => !e.path.startsWith('/_sandbox') && Date.parse(e.at) >= from);
  const times = calls.map((e) => Date.parse(e.at)).sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= 10_000) i++;
    busiest = Math.max(busiest, j - i + 1);
  }
  const limited = calls.filter((e) => e.status === 429 && !e.fault);
  const byKind = new Map<string, number>();
  for (const e of limited)
    byKind.set(
      `${e.method} ${e.path.replace(/\/\d+/g, '/{id}')}`,
      (byKind.get(`${e.method} ${e.path.replace(/\/\d+/g, '/{id}')}`) ?? 0) + 1,
    );
  return {
    calls: calls.length,
    limited: limited.length,
    busiest,
    byKind: [...byKind].map(([k, n]) => `${k} ×${n}`).join(', ') || 'none',
  };
}

/**
 * Replies three times as many as customer messages, with HubSpot's rate limit on (100 calls per 10 s, where the
 * other scenarios raise it to 2,000): every reply costs HubSpot calls (its status SENT, then READ), so the portal's
 * budget is the bottleneck. Nothing may be lost, sent twice or reordered; the 429s HubSpot answered are counted.
 */
export const outboundRateLimit: Scenario = {
  name: 'outbound-rate-limit',
  title: "Outbound-heavy traffic under HubSpot's rate limit (100 calls per 10 s)",
  photoShare: 0,
  sandboxEnv: { SANDBOX_HUBSPOT_RATE_LIMIT_MAX: String(LIMIT_PER_10S) },
  bridgeEnv: { HUBSPOT_RATE_LIMIT_PER_10S: String(LIMIT_PER_10S) },
  // A slower offered load: at 100 calls per 10 s the portal's budget, not the traffic, sets the pace.
  resize: (size: ScenarioSize): ScenarioSize => ({
    conversations: Math.min(size.conversations, 15),
    inboundPerConversation: Math.max(1, Math.ceil(size.inboundPerConversation / 3)),
    outboundPerConversation: size.outboundPerConversation * 3,
    ratePerSecond: 3,
    settleMs: Math.max(size.settleMs, 300_000),
  }),
  async inject({ world, traffic, note, measure }: ChaosContext) {
    const from = Date.now();
    note(`HubSpot rate limit ${LIMIT_PER_10S} calls per 10 s, the bridge pacing to the same`);
    await traffic.done;
    // Statuses still being written are counted at the end of the settle; this is the traffic's stretch.
    const seen = await hubspotCalls(world, from);
    note(
      `during the traffic: ${seen.calls} HubSpot calls, the busiest 10 s ${seen.busiest}; ${seen.limited} answered 429 (${seen.byKind})`,
    );
    measure('hubspotCalls', seen.calls);
    measure('busiest10s', seen.busiest);
    measure('rateLimited429', seen.limited);
  },
};
