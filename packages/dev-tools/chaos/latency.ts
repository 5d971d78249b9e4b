import { senderAcks } from './arrivals.js';
import { hubspotMessages } from './sandbox-ledgers.js';
import { parseMarker, type World } from './world.js';

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

/** One customer message: when its sender first tried the bridge, and how long until HubSpot had it. */
export interface Latency {
  readonly sentAt: number;
  readonly ms: number;
}

/**
 * Customer → HubSpot latency of every published chaos message whose sender keeps times (WhatsApp and the generic
 * connector; Telegram's ledger gives positions only): HubSpot's createdAt minus the sender's first attempt.
 */
export async function inboundLatencies(world: World): Promise<Latency[]> {
  const [acks, messages] = await Promise.all([senderAcks(world), hubspotMessages(world)]);
  const telegram = new Set(world.conversations.filter((c) => c.provider === 'telegram').map((c) => c.id));
  const latencies: Latency[] = [];
  const seen = new Set<string>();
  for (const m of messages) {
    const found = m.direction === 'INCOMING' ? parseMarker(m.text) : undefined;
    if (!found || found.direction !== 'in' || telegram.has(found.conversation)) continue;
    const key = `${found.conversation}:in:${found.seq}`;
    const times = acks.get(key);
    if (!times || seen.has(key)) continue;
    seen.add(key);
    latencies.push({ sentAt: times.first, ms: Date.parse(m.createdAt) - times.first });
  }
  return latencies;
}

export function summarise(latencies: readonly Latency[]): LatencySummary {
  const sorted = latencies.map((l) => l.ms).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: sorted.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: sorted.at(-1) ?? 0 };
}

export const describeLatency = (s: LatencySummary) =>
  `${s.count} messages, p50 ${(s.p50Ms / 1000).toFixed(1)} s, p95 ${(s.p95Ms / 1000).toFixed(1)} s, max ${(s.maxMs / 1000).toFixed(1)} s`;
