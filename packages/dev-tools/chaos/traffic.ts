import { customerWrites, repReplies } from './customers.js';
import { hubspotMessages } from './sandbox-ledgers.js';
import { marker, parseMarker, type Conversation, type World } from './world.js';

export interface TrafficPlan {
  readonly inboundPerConversation: number;
  readonly outboundPerConversation: number;
  /** Share of customer messages that carry a photo (an upload to HubSpot Files before the publish). */
  readonly photoShare: number;
  /** Messages per second across all conversations and both directions. */
  readonly ratePerSecond: number;
}

/** One message a person sent: a customer in their messenger (`in`) or a rep in the inbox (`out`). */
export interface SentMessage {
  readonly conversation: Conversation;
  readonly direction: 'in' | 'out';
  readonly seq: number;
  readonly marker: string;
  /** `in`: the bridge's inbound workflow id; `out`: the HubSpot message id (`outbound:{id}` is its workflow). */
  readonly key: string;
}

export interface Traffic {
  /** Share of the planned messages sent so far, 0-1. */
  progress(): number;
  /** Resolves once `share` of the plan is sent (or the traffic ended). */
  reached(share: number): Promise<void>;
  /** Resolves when every conversation has sent everything it could. */
  readonly done: Promise<TrafficLog>;
}

export interface TrafficLog {
  readonly sent: SentMessage[];
  /** Rep replies not written because the conversation never got a HubSpot thread in time. */
  readonly skipped: number;
  readonly errors: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The least time a person takes between two messages. WhatsApp and Telegram stamp whole seconds, so two messages of
 * one chat within a second carry the same time and nothing tells the bridge their order once a retry swaps them.
 */
export const MIN_GAP_PER_PERSON_MS = 1_100;

/** A customer's messages with the rep's replies spread between them: a reply after every few customer messages. */
function script(plan: TrafficPlan): ('in' | 'out')[] {
  const every = Math.max(1, Math.floor(plan.inboundPerConversation / Math.max(1, plan.outboundPerConversation)));
  const steps: ('in' | 'out')[] = [];
  let replies = 0;
  for (let i = 1; i <= plan.inboundPerConversation; i++) {
    steps.push('in');
    if (i % every === 0 && replies < plan.outboundPerConversation) {
      steps.push('out');
      replies += 1;
    }
  }
  for (; replies < plan.outboundPerConversation; replies++) steps.push('out');
  return steps;
}

/** Finds each conversation's HubSpot thread from its published messages; one shared poll, only while someone waits. */
function threadFinder(world: World) {
  const known = new Map<string, string>();
  let refreshing: Promise<void> | undefined;
  const refresh = () =>
    (refreshing ??= hubspotMessages(world)
      .then((messages) => {
        for (const m of messages) {
          const found = m.direction === 'INCOMING' ? parseMarker(m.text) : undefined;
          if (found) known.set(found.conversation, m.conversationsThreadId);
        }
      })
      .catch(() => undefined)
      .finally(() => sleep(1_000).then(() => (refreshing = undefined))));
  return async (conversation: Conversation, timeoutMs: number): Promise<string | undefined> => {
    const deadline = Date.now() + timeoutMs;
    while (!known.has(conversation.id) && Date.now() < deadline) await refresh();
    return known.get(conversation.id);
  };
}

/**
 * Sends the plan: every conversation in parallel, each person waiting for their previous message to be taken by the
 * emulator (customers) or HubSpot (reps) before the next, so the send order per conversation is defined. A global
 * pace spreads the messages at `ratePerSecond`. Bounded: a fixed number of messages, a bounded wait for threads.
 */
export function startTraffic(world: World, plan: TrafficPlan, options: { threadWaitMs?: number } = {}): Traffic {
  const total = world.conversations.length * (plan.inboundPerConversation + plan.outboundPerConversation);
  const log = { sent: [] as SentMessage[], skipped: 0, errors: [] as string[] };
  let attempted = 0;
  let nextSlot = Date.now();
  const pace = async () => {
    const slot = Math.max(nextSlot, Date.now());
    nextSlot = slot + 1000 / plan.ratePerSecond;
    await sleep(slot - Date.now());
  };
  const threadOf = threadFinder(world);

  const converse = async (conversation: Conversation, index: number) => {
    await sleep((index * 1000) / plan.ratePerSecond); // conversations start staggered, as people do
    let seqIn = 0;
    let seqOut = 0;
    let lastSentAt = 0;
    for (const step of script(plan)) {
      await sleep(lastSentAt + MIN_GAP_PER_PERSON_MS - Date.now());
      await pace();
      lastSentAt = Date.now();
      attempted += 1;
      const seq = step === 'in' ? ++seqIn : ++seqOut;
      const text = `${marker(conversation, step, seq)} ${step === 'in' ? 'hello from the customer' : 'an answer from the rep'}`;
      try {
        if (step === 'in') {
          const photo = Math.random() < plan.photoShare;
          const providerMessageId = await customerWrites(world, conversation, text, photo);
          log.sent.push({
            conversation,
            direction: step,
            seq,
            marker: marker(conversation, step, seq),
            key: `inbound:${conversation.accountId}:${providerMessageId}`,
          });
        } else {
          const threadId = await threadOf(conversation, options.threadWaitMs ?? 120_000);
          if (!threadId) {
            log.skipped += 1;
            continue;
          }
          const hubspotMessageId = await repReplies(world, threadId, text);
          log.sent.push({
            conversation,
            direction: step,
            seq,
            marker: marker(conversation, step, seq),
            key: hubspotMessageId,
          });
        }
      } catch (error) {
        log.errors.push(`${conversation.id} ${step}${seq}: ${(error as Error).message}`);
      }
    }
  };
  const done = Promise.all(world.conversations.map(converse)).then(() => log);
  let finished = false;
  void done.finally(() => (finished = true));
  return {
    progress: () => attempted / total,
    async reached(share) {
      while (!finished && attempted / total < share) await sleep(100);
    },
    done,
  };
}
