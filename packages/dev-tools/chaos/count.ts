import type { SenderTimes } from './arrivals.js';
import type { HubSpotRecord, DeliveredRecord } from './sandbox-ledgers.js';
import type { SentMessage } from './traffic.js';
import { parseMarker } from './world.js';

/** One direction of a scenario, counted from the sandboxes' ledgers. */
export interface DirectionCount {
  readonly sent: number;
  /** Reached the other side at least once: a HubSpot message (inbound), a provider delivery (outbound). */
  readonly published: number;
  /** Neither published nor ended FAILED with a reason. */
  readonly lost: number;
  /** Copies beyond the first. */
  readonly duplicated: number;
  /** Published after a later message of the same conversation. */
  readonly outOfOrder: number;
  /** Of those, how many the sender itself delivered after that later message (its retries overtook each other). */
  readonly outOfOrderBySender: number;
  /**
   * Reached the bridge after a later message of their conversation (the senders' ledgers): the order the bridge had to
   * restore.
   */
  readonly arrivedOutOfOrder: number;
  /** Not published, and ended FAILED with a reason a person can read. */
  readonly failed: number;
  /**
   * Outbound only: HubSpot's status disagrees with the delivery (delivered but not SENT/READ, or FAILED with no
   * reason).
   */
  readonly wrongStatus: number;
  /** Failure reasons and their counts; for lost messages, what is known about them. */
  readonly reasons: Record<string, number>;
  readonly lostKeys: string[];
  /** Copies beyond the first, per provider. */
  readonly duplicatedByProvider: Record<string, number>;
  /** Out of order per provider, and a few conversations as they landed (`c004 whatsapp: 1 2 4 3 5`). */
  readonly outOfOrderByProvider: Record<string, number>;
  readonly outOfOrderExamples: string[];
}

/** What a closed or running workflow says about an unpublished inbound message. */
export type WorkflowFate =
  { readonly state: 'failed'; readonly reason: string } | { readonly state: 'running' | 'completed' | 'missing' };

/**
 * Counts of each marker, and per conversation the markers' sequence numbers in the order they landed. A message that
 * landed after a later one is out of order; the sender reordered it when every later message that overtook it was
 * already on its way (first attempt) before this one was acknowledged (`acks`, from the senders' ledgers).
 */
function tally(texts: readonly string[], direction: 'in' | 'out', acks: ReadonlyMap<string, SenderTimes>) {
  const copies = new Map<string, number>();
  const order = new Map<string, number[]>();
  for (const text of texts) {
    const found = parseMarker(text);
    if (!found || found.direction !== direction) continue;
    const key = `${found.conversation}:${found.seq}`;
    copies.set(key, (copies.get(key) ?? 0) + 1);
    if (copies.get(key) === 1) order.set(found.conversation, [...(order.get(found.conversation) ?? []), found.seq]);
  }
  const reordered = new Map<string, number>();
  let outOfOrderBySender = 0;
  const ack = (conversation: string, seq: number) => acks.get(`${conversation}:${direction}:${seq}`);
  for (const [conversation, seqs] of order) {
    seqs.forEach((seq, i) => {
      const overtakers = seqs.slice(0, i).filter((earlier) => earlier > seq);
      if (overtakers.length === 0) return;
      reordered.set(conversation, (reordered.get(conversation) ?? 0) + 1);
      const mine = ack(conversation, seq)?.ack;
      if (mine !== undefined && overtakers.every((o) => (ack(conversation, o)?.first ?? Infinity) < mine))
        outOfOrderBySender += 1;
    });
  }
  const outOfOrder = [...reordered.values()].reduce((a, b) => a + b, 0);
  return { copies, outOfOrder, outOfOrderBySender, reordered, order };
}

/** Messages whose sender got them acknowledged after a later message of the same conversation. */
export function arrivedOutOfOrder(acks: ReadonlyMap<string, SenderTimes>, direction: 'in' | 'out'): number {
  const byConversation = new Map<string, { seq: number; ack: number }[]>();
  for (const [key, times] of acks) {
    const [conversation, dir, seq] = key.split(':');
    if (dir !== direction || !conversation) continue;
    byConversation.set(conversation, [
      ...(byConversation.get(conversation) ?? []),
      { seq: Number(seq), ack: times.ack },
    ]);
  }
  let late = 0;
  for (const messages of byConversation.values()) {
    for (const m of messages) if (messages.some((o) => o.seq > m.seq && o.ack < m.ack)) late += 1;
  }
  return late;
}

/** Out-of-order counts per provider, and the landing order of a few reordered conversations. */
function orderDetails(sent: readonly SentMessage[], t: ReturnType<typeof tally>) {
  const provider = new Map(sent.map((m) => [m.conversation.id, m.conversation.provider]));
  const outOfOrderByProvider: Record<string, number> = {};
  for (const [conversation, n] of t.reordered)
    outOfOrderByProvider[provider.get(conversation)!] = (outOfOrderByProvider[provider.get(conversation)!] ?? 0) + n;
  const outOfOrderExamples = [...t.reordered.keys()]
    .slice(0, 6)
    .map((c) => `${c} ${provider.get(c)}: ${t.order.get(c)!.join(' ')}`);
  return { outOfOrderByProvider, outOfOrderExamples };
}

const bump = (reasons: Record<string, number>, reason: string) => void (reasons[reason] = (reasons[reason] ?? 0) + 1);

/** Inbound: customer messages against HubSpot's INCOMING messages (in creation order, which is thread order). */
export function countInbound(
  sent: readonly SentMessage[],
  hubspot: readonly HubSpotRecord[],
  fates: ReadonlyMap<string, WorkflowFate>,
  acks: ReadonlyMap<string, SenderTimes> = new Map(),
): DirectionCount {
  const mine = sent.filter((m) => m.direction === 'in');
  const landed = tally(
    hubspot.filter((m) => m.direction === 'INCOMING').map((m) => m.text),
    'in',
    acks,
  );
  const { copies, outOfOrder, outOfOrderBySender } = landed;
  const reasons: Record<string, number> = {};
  const lostKeys: string[] = [];
  let published = 0,
    duplicated = 0,
    failed = 0;
  const duplicatedByProvider: Record<string, number> = {};
  for (const m of mine) {
    const n = copies.get(`${m.conversation.id}:${m.seq}`) ?? 0;
    if (n > 1)
      duplicatedByProvider[m.conversation.provider] = (duplicatedByProvider[m.conversation.provider] ?? 0) + n - 1;
    if (n > 0) {
      published += 1;
      duplicated += n - 1;
      continue;
    }
    const fate = fates.get(m.key) ?? { state: 'missing' };
    if (fate.state === 'failed' && fate.reason) {
      failed += 1;
      bump(reasons, fate.reason);
    } else {
      lostKeys.push(m.key);
      bump(reasons, `lost: workflow ${fate.state}`);
    }
  }
  return {
    sent: mine.length,
    published,
    lost: lostKeys.length,
    duplicated,
    outOfOrder,
    outOfOrderBySender,
    arrivedOutOfOrder: arrivedOutOfOrder(acks, 'in'),
    failed,
    wrongStatus: 0,
    reasons,
    lostKeys,
    duplicatedByProvider,
    ...orderDetails(mine, landed),
  };
}

/** Outbound: rep replies against what the provider emulators delivered, and the status HubSpot shows the rep. */
export function countOutbound(
  sent: readonly SentMessage[],
  delivered: readonly DeliveredRecord[],
  hubspot: readonly HubSpotRecord[],
  acks: ReadonlyMap<string, SenderTimes> = new Map(),
): DirectionCount {
  const mine = sent.filter((m) => m.direction === 'out');
  const landed = tally(
    delivered.map((d) => d.text),
    'out',
    acks,
  );
  const { copies, outOfOrder, outOfOrderBySender } = landed;
  const byId = new Map(hubspot.map((m) => [m.id, m]));
  const reasons: Record<string, number> = {};
  const lostKeys: string[] = [];
  let published = 0,
    duplicated = 0,
    failed = 0,
    wrongStatus = 0;
  const duplicatedByProvider: Record<string, number> = {};
  for (const m of mine) {
    const n = copies.get(`${m.conversation.id}:${m.seq}`) ?? 0;
    if (n > 1)
      duplicatedByProvider[m.conversation.provider] = (duplicatedByProvider[m.conversation.provider] ?? 0) + n - 1;
    const statuses = byId.get(m.key)?.statusUpdates ?? [];
    const failure = statuses.find((s) => s.statusType === 'FAILED');
    if (n > 0) {
      published += 1;
      duplicated += n - 1;
      if (failure || !statuses.some((s) => s.statusType === 'SENT' || s.statusType === 'READ')) wrongStatus += 1;
    } else if (failure?.errorMessage) {
      failed += 1;
      bump(reasons, failure.errorMessage);
    } else {
      if (failure) wrongStatus += 1;
      lostKeys.push(m.key);
      bump(
        reasons,
        failure
          ? 'lost: FAILED without a reason'
          : `lost: HubSpot status ${statuses.at(-1)?.statusType ?? 'untouched'}`,
      );
    }
  }
  return {
    sent: mine.length,
    published,
    lost: lostKeys.length,
    duplicated,
    outOfOrder,
    outOfOrderBySender,
    arrivedOutOfOrder: arrivedOutOfOrder(acks, 'out'),
    failed,
    wrongStatus,
    reasons,
    lostKeys,
    duplicatedByProvider,
    ...orderDetails(mine, landed),
  };
}
