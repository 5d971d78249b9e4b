import { SWEEP_AFTER_MS, SWEEP_EVERY_MS } from '../../bridge/src/api/start-sweeper.js';
import { senderAcks } from './arrivals.js';
import { countInbound, countOutbound, type DirectionCount, type WorkflowFate } from './count.js';
import { workflowFates } from './fates.js';
import { hubspotMessages, providerDeliveries } from './sandbox-ledgers.js';
import type { SentMessage } from './traffic.js';
import type { World } from './world.js';

export interface Counts {
  readonly inbound: DirectionCount;
  readonly outbound: DirectionCount;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Kept starts are made within a sweep's delay and interval (src/api/start-sweeper.ts), plus a margin. */
const KEPT_START_SWEPT_WITHIN_MS = SWEEP_AFTER_MS + SWEEP_EVERY_MS + 5_000;

/** Counts both directions now, from the ledgers; Temporal is asked only about inbound messages HubSpot lacks. */
export async function countNow(world: World, sent: readonly SentMessage[], askTemporal: boolean): Promise<Counts> {
  const [hubspot, delivered, acks] = await Promise.all([
    hubspotMessages(world),
    providerDeliveries(world),
    senderAcks(world),
  ]);
  let inbound = countInbound(sent, hubspot, new Map(), acks);
  if (askTemporal && inbound.lostKeys.length > 0) {
    const fates: Map<string, WorkflowFate> = await workflowFates(world.system.temporalAddress, inbound.lostKeys);
    inbound = countInbound(sent, hubspot, fates, acks);
  }
  return { inbound, outbound: countOutbound(sent, delivered, hubspot, acks) };
}

/**
 * Waits until every message sent is accounted for (published, or ended FAILED with a reason) or `timeoutMs` passes,
 * then counts. Temporal is asked about the inbound stragglers only once the ledgers stop moving.
 */
export async function settle(
  world: World,
  sent: readonly SentMessage[],
  timeoutMs: number,
  onProgress?: (c: Counts) => void,
): Promise<Counts> {
  const deadline = Date.now() + timeoutMs;
  let previous = -1;
  let movedAt = Date.now();
  for (;;) {
    const quick = await countNow(world, sent, false);
    const settledCount = quick.inbound.published + quick.outbound.published + quick.outbound.failed;
    onProgress?.(quick);
    // Done when everything is published or FAILED and HubSpot shows each delivered reply's status (it may lag the
    // delivery).
    if (quick.inbound.lost === 0 && quick.outbound.lost === 0 && quick.outbound.wrongStatus === 0) return quick;
    if (settledCount !== previous) movedAt = Date.now();
    if (settledCount === previous || Date.now() > deadline) {
      const full = await countNow(world, sent, true);
      // A message with no workflow yet may be a start its api answered for and died before making: a sweep makes it.
      const sweepDue = Date.now() - movedAt < KEPT_START_SWEPT_WITHIN_MS;
      const waiting =
        (full.inbound.reasons['lost: workflow running'] ?? 0) +
        (sweepDue ? (full.inbound.reasons['lost: workflow missing'] ?? 0) : 0);
      if ((waiting === 0 && full.outbound.lost === 0 && full.outbound.wrongStatus === 0) || Date.now() > deadline)
        return full;
    }
    previous = settledCount;
    await sleep(3_000);
  }
}
