import type { LocalSystem } from '../../src/local/system.js';
import { runOpenLoop } from '../load/open-loop.js';
import { genericMessage } from '../load/webhooks.js';
import type { HubSpotLedger } from '../observe/hubspot-ledger.js';
import { ProviderDeliveries } from '../observe/provider-deliveries.js';
import { percentileCurve, perSecond, summarise, type LatencySummary } from '../stats.js';

export type OutboundProvider = 'generic' | 'telegram' | 'whatsapp';

export interface CustomerThread {
  readonly provider: OutboundProvider;
  readonly threadId: string;
}

export interface OutboundRunResult {
  readonly label: string;
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly replies: number;
  readonly delivered: number;
  readonly sentWritten: number;
  /** Reply → the provider sandbox received it. */
  readonly delivery?: LatencySummary;
  /** Reply → `SENT` written back to HubSpot. */
  readonly sent?: LatencySummary;
  /** The provider sandbox received it → `SENT` written back to HubSpot, per reply with both. */
  readonly deliveryToSent?: LatencySummary;
  readonly byProvider: Record<string, { replies: number; delivered: number; delivery?: LatencySummary }>;
  readonly curve: { percentile: number; ms: number }[];
  readonly timeline: { readonly repliedPerSecond: number[]; readonly deliveredPerSecond: number[] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/**
 * One customer conversation per reply to come, on each provider, started the way each customer would: through the
 * Telegram and WhatsApp emulators (so they know the chat and its 24-hour window), and a signed generic webhook.
 * Returns the HubSpot threads once the bridge has published every first message.
 */
export async function prepareCustomerThreads(system: LocalSystem, perProvider: number): Promise<CustomerThread[]> {
  const tag = `setup-${Date.now().toString(36)}`;
  const bots = (await (await fetch(`${system.urls.telegram}/_sandbox/telegram/bots`)).json()) as { id: number }[];
  const markers = new Map<string, OutboundProvider>();
  for (let k = 0; k < perProvider; k++) {
    const g = `${tag} generic ${k}`;
    const t = `${tag} telegram ${k}`;
    const w = `${tag} whatsapp ${k}`;
    const planned = genericMessage(system.account('generic'), { id: `${tag}-g${k}`, thread: `${tag}-g${k}`, text: g });
    await post(`${system.urls.api}${planned.path}`, planned.body, planned.headers);
    await post(`${system.urls.telegram}/_sandbox/telegram/bots/${bots[0]!.id}/messages`, {
      user_id: 880_000_000 + Math.floor(Math.random() * 1e8),
      first_name: 'Bench',
      text: t,
    });
    await post(`${system.urls.whatsapp}/_sandbox/whatsapp/customer/messages`, {
      from: `4477${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      name: 'Bench Customer',
      type: 'text',
      text: w,
    });
    markers.set(g, 'generic').set(t, 'telegram').set(w, 'whatsapp');
  }
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { messages } = (await (await fetch(`${system.urls.hubspot}/_sandbox/messages`)).json()) as {
      messages: { direction: string; text: string; conversationsThreadId: string }[];
    };
    const found = messages.filter((m) => m.direction === 'INCOMING' && markers.has(m.text));
    if (found.length >= markers.size)
      return found.map((m) => ({ provider: markers.get(m.text)!, threadId: m.conversationsThreadId }));
    if (Date.now() > deadline)
      throw new Error(`only ${found.length} of ${markers.size} customer messages reached HubSpot in 2 minutes`);
    await sleep(500);
  }
}

/**
 * Customer threads per provider for runs of replies at `rates`: one thread per reply across all the runs. Reused from
 * one run to the next, a customer got a reply a few seconds after the last one, inside WhatsApp's pair limit
 * (OUTBOUND_WHATSAPP_CHAT_INTERVAL_MS, 6 s), and the bridge rightly paced it: once, 5 WhatsApp replies at 10/s came
 * 0.5-1.5 s late, the gap to each customer's reply of the 2/s run short of 6 s by as much.
 */
const threadsPerProviderFor = (rates: readonly number[], durationMs: number): number =>
  Math.ceil(rates.reduce((sum, rate) => sum + repliesOf(rate, durationMs), 0) / 3);

/** The replies a run at `rate` sends. */
const repliesOf = (rate: number, durationMs: number): number => Math.round((rate * durationMs) / 1000);

/**
 * Replies as a rep through the HubSpot sandbox at a fixed rate, each to its own customer from `firstThread` on (so
 * per-chat pacing never waits), and follows each reply to the provider sandbox and to the `SENT` status the bridge
 * writes back.
 */
export async function outboundRun(
  system: LocalSystem,
  ledger: HubSpotLedger,
  threads: readonly CustomerThread[],
  spec: { label: string; ratePerSecond: number; durationMs: number; drainTimeoutMs: number; firstThread?: number },
): Promise<OutboundRunResult> {
  const prefix = `${spec.label}-${Date.now().toString(36)}`;
  const markers = new Map<string, OutboundProvider>();
  const run = await runOpenLoop({
    origin: system.urls.hubspot,
    ratePerSecond: spec.ratePerSecond,
    durationMs: spec.durationMs,
    keyOf: (answer) => (answer as { id?: string }).id,
    make: (i) => {
      const thread = threads[((spec.firstThread ?? 0) + i) % threads.length]!;
      // The full stop ends the number, so reply 1's marker is not found inside reply 10's text.
      const text = `bench reply ${prefix}-${i}.`;
      markers.set(text, thread.provider);
      return {
        id: text,
        path: `/_sandbox/threads/${thread.threadId}/replies`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      };
    },
  });
  const replies = run.records.filter((r) => r.status === 201 && r.workflowId);
  const deliveries = new ProviderDeliveries(system.urls, () => markers.keys());
  const deadline = Date.now() + spec.drainTimeoutMs;
  for (;;) {
    await Promise.all([deliveries.poll(), ledger.poll()]);
    const complete = replies.every((r) => deliveries.deliveredAt.has(r.id) && ledger.sentStatus.has(r.workflowId!));
    if (complete || Date.now() > deadline) break;
    await sleep(500);
  }
  const delivery = replies.flatMap((r) =>
    deliveries.deliveredAt.has(r.id) ? [{ r, ms: deliveries.deliveredAt.get(r.id)! - r.dueAt }] : [],
  );
  const sent = replies.flatMap((r) =>
    ledger.sentStatus.has(r.workflowId!) ? [ledger.sentStatus.get(r.workflowId!)! - r.dueAt] : [],
  );
  // The SENT write follows the provider's answer, so per reply it comes after the delivery; clamped at 0 for clock
  // granularity (both are wall-clock stamps from processes on this machine).
  const deliveryToSent = replies.flatMap((r) => {
    const delivered = deliveries.deliveredAt.get(r.id);
    const sentAt = ledger.sentStatus.get(r.workflowId!);
    return delivered === undefined || sentAt === undefined ? [] : [Math.max(0, sentAt - delivered)];
  });
  const byProvider: OutboundRunResult['byProvider'] = {};
  for (const provider of ['generic', 'telegram', 'whatsapp'] as const) {
    const mine = replies.filter((r) => markers.get(r.id) === provider);
    const ms = delivery.filter((d) => markers.get(d.r.id) === provider).map((d) => d.ms);
    byProvider[provider] = { replies: mine.length, delivered: ms.length, delivery: summarise(ms) };
  }
  const seconds = Math.ceil((Math.max(run.endedAt, ...delivery.map((d) => d.r.dueAt + d.ms)) - run.startedAt) / 1000);
  return {
    label: spec.label,
    ratePerSecond: spec.ratePerSecond,
    durationMs: spec.durationMs,
    replies: replies.length,
    delivered: delivery.length,
    sentWritten: sent.length,
    delivery: summarise(delivery.map((d) => d.ms)),
    sent: summarise(sent),
    deliveryToSent: summarise(deliveryToSent),
    byProvider,
    curve: percentileCurve(delivery.map((d) => d.ms)),
    timeline: {
      repliedPerSecond: perSecond(
        replies.map((r) => r.doneAt),
        run.startedAt,
        seconds,
      ),
      deliveredPerSecond: perSecond(
        delivery.map((d) => d.r.dueAt + d.ms),
        run.startedAt,
        seconds,
      ),
    },
  };
}

/**
 * One outbound run per rate, each from a settled system, on customers none of the runs before it replied to (see
 * threadsPerProviderFor). `settled` is awaited before each run; `ran` hears each result as it comes.
 */
export async function outboundRuns(
  system: LocalSystem,
  ledger: HubSpotLedger,
  plan: { readonly rates: readonly number[]; readonly durationMs: number },
  options: {
    readonly drainTimeoutMs: number;
    readonly settled: (rate: number) => Promise<void>;
    readonly ran: (rate: number, result: OutboundRunResult) => void;
  },
): Promise<OutboundRunResult[]> {
  const threads = await prepareCustomerThreads(system, threadsPerProviderFor(plan.rates, plan.durationMs));
  const results: OutboundRunResult[] = [];
  let firstThread = 0;
  for (const rate of plan.rates) {
    await options.settled(rate);
    const result = await outboundRun(system, ledger, threads, {
      label: 'outbound',
      ratePerSecond: rate,
      durationMs: plan.durationMs,
      drainTimeoutMs: options.drainTimeoutMs,
      firstThread,
    });
    firstThread += repliesOf(rate, plan.durationMs);
    options.ran(rate, result);
    results.push(result);
  }
  return results;
}
