import { Client, Connection } from '@temporalio/client';
import type { LocalSystem } from '../../src/local/system.js';
import { replyWhileDraining, seedReplyThreads, uploadRepFiles, type SentReply } from '../load/replies.js';
import { sendAll } from '../load/send-all.js';
import { genericMessage } from '../load/webhooks.js';
import { cpuMs } from '../observe/cpu.js';
import { HubSpotLedger } from '../observe/hubspot-ledger.js';
import type { BenchPortal } from '../portals.js';
import { round } from '../stats.js';
import { backlogReplies, type BacklogReplies } from './backlog-replies.js';
import { INBOUND_WORKFLOW_TYPE } from '../../../bridge/src/domain/workflow-types.js';

export interface BacklogSpec {
  readonly messages: number;
  readonly conversationsPerPortal: number;
  /** HubSpot's limit in the sandbox and the bridge alike. */
  readonly rateLimit: { readonly max: number; readonly intervalMs: number };
  /** Concurrent senders posting the backlog while the worker is down (each retries a refused message). */
  readonly senders: number;
  readonly timeoutMs: number;
  /**
   * Outbound traffic mixed into the drain: a rep answers `threadsPerPortal` seeded conversations per portal, `count`
   * replies at `ratePerSecond`, every `fileEvery`-th with a file. Optional so results saved before it still report.
   */
  readonly replies?: {
    readonly threadsPerPortal: number;
    readonly count: number;
    readonly ratePerSecond: number;
    readonly fileEvery: number;
  };
}

export interface PortalOutcome {
  readonly portalId: string;
  readonly messages: number;
  readonly published: number;
  /** HubSpot calls HubSpot accepted (not 429). */
  readonly calls: number;
  readonly rateLimited: number;
  /** Seconds from the worker's start to the portal's last publish. */
  readonly completedAfterS: number;
  /** Accepted calls per second after the first window (whose burst the limit allows) until the last publish. */
  readonly steadyRate: number;
  /** steadyRate over the limit's average rate (max / interval). */
  readonly shareOfLimit: number;
  /** The most accepted calls in any window of the limit's length: must not exceed max. */
  readonly busiestWindow: number;
}

export interface BacklogResult {
  readonly portals: PortalOutcome[];
  readonly messages: number;
  /** Accepted by the api (after retries) while the worker was down. */
  readonly accepted: number;
  readonly published: number;
  /** Refused by the api after every retry. */
  readonly refused: number;
  /** Message workflows that ended failed (Temporal's ExecutionStatus). */
  readonly failed: number;
  /** Accepted, not failed, but not yet published when the scenario's time was up. */
  readonly unpublished: number;
  readonly duplicates: number;
  readonly calls: number;
  readonly rateLimited: number;
  readonly rateLimitedShare: number;
  readonly drainS: number;
  readonly messagesPerSecond: number;
  readonly limit: { readonly max: number; readonly intervalMs: number };
  /** Slowest portal's completion over the fastest one's. */
  readonly starvationRatio: number;
  /** Calls per second per portal over the drain, for the chart. */
  readonly callsPerSecond: Record<string, number[]>;
  /** The replies mixed in, when the plan had them. */
  readonly outbound?: BacklogReplies;
  /** Cores each process kept busy over the drain (CPU ms ÷ wall ms): whether the CPU, not the limits, held it back. */
  readonly cpuCores?: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Scenario 5: the worker is down while `messages` arrive for every portal (round robin), so they wait in Temporal as a
 * backlog; then the worker starts and the bench follows every HubSpot call per portal until all are published.
 */
export async function backlogScenario(
  system: LocalSystem,
  portals: readonly BenchPortal[],
  spec: BacklogSpec,
  log: (line: string) => void,
  /** When the portals' own setup calls were made; the drain starts a full window later, so they never count. */
  setupCallsAt: number,
  /** The processes whose CPU is read over the drain (the worker's pid changes when it starts again). */
  pids: () => Record<string, number | undefined> = () => ({ worker: system.pid('worker') }),
): Promise<BacklogResult> {
  const ledger = new HubSpotLedger(system.urls.hubspot);
  const tag = `backlog-${Date.now().toString(36)}`;
  // The threads the rep will answer exist before the backlog (their first messages go through the bridge now).
  const replyPlan = spec.replies;
  const replyThreads = replyPlan ? await seedReplyThreads(system, portals, replyPlan.threadsPerPortal, tag) : [];
  const repFiles = replyPlan ? await uploadRepFiles(system.urls.hubspot, portals) : new Map<string, string>();
  if (replyPlan) log(`backlog: ${replyThreads.length} customer threads seeded for the rep's replies`);
  const setupDoneAt = Math.max(setupCallsAt, Date.now());
  await system.kill('worker', 'SIGTERM');
  const posted = await sendAll(
    system.urls.api,
    spec.messages,
    (i) => {
      const p = i % portals.length;
      const thread = `${tag}-p${p}-c${Math.floor(i / portals.length) % spec.conversationsPerPortal}`;
      return genericMessage(portals[p]!.account, { id: `${tag}-${i}`, thread, text: `backlog message ${i}` });
    },
    spec.senders,
  );
  const keys = [...posted.keys.entries()].map(([i, key]) => ({ key, portal: portals[i % portals.length]!.portalId }));
  log(
    `backlog: ${keys.length} of ${spec.messages} messages accepted while the worker was down (${posted.retries} retries)${posted.refused.length ? `; refused: ${JSON.stringify(posted.refused[0])}` : ''}`,
  );
  await sleep(setupDoneAt + spec.rateLimit.intervalMs * 1.1 - Date.now());
  await ledger.skipToEnd();
  const startedAt = Date.now();
  await system.start('worker');
  const cpuFrom = Object.fromEntries(Object.entries(pids()).map(([name, pid]) => [name, cpuMs(pid)]));
  // The rep replies while the backlog drains: the portals' budgets are shared by both directions.
  let sent: SentReply[] = [];
  const replying = replyPlan
    ? replyWhileDraining(system.urls.hubspot, replyThreads, repFiles, replyPlan, tag).then((r) => (sent = r))
    : Promise.resolve([]);
  let replyError: unknown;
  replying.catch((error: unknown) => (replyError = error));
  const deadline = startedAt + spec.timeoutMs;
  let done = 0;
  let repliesDone = false;
  while (Date.now() < deadline) {
    await ledger.poll();
    done = keys.filter((k) => ledger.firstPublish.has(k.key)).length;
    repliesDone =
      !replyPlan ||
      (sent.length === replyPlan.count &&
        sent.every((r) => ledger.sentStatus.has(r.messageId) || ledger.failedStatus.has(r.messageId)));
    if (replyError) throw replyError;
    if (done === keys.length && repliesDone) break;
    await sleep(1000);
  }
  await replying;
  const cpuWallMs = Math.max(1, Date.now() - startedAt);
  const cpuCores = Object.fromEntries(
    Object.entries(pids()).map(([name, pid]) => [name, round((cpuMs(pid) - (cpuFrom[name] ?? 0)) / cpuWallMs, 2)]),
  );
  log(
    `backlog: ${done} of ${keys.length} published after ${round((Date.now() - startedAt) / 1000)} s${replyPlan ? `; ${sent.filter((r) => ledger.sentStatus.has(r.messageId)).length} of ${sent.length} replies SENT` : ''}`,
  );

  const portalIds = new Set(portals.map((p) => p.portalId));
  const calls = ledger.calls.filter((c) => c.portalId && portalIds.has(c.portalId) && c.at >= startedAt);
  const outcomes = portals.map((portal) =>
    portalOutcome(portal.portalId, keys, ledger, calls, startedAt, spec.rateLimit),
  );
  const lastPublish = [...ledger.firstPublish.values()].reduce((latest, p) => Math.max(latest, p.at), startedAt);
  const drainS = (lastPublish - startedAt) / 1000;
  const completions = outcomes.map((o) => o.completedAfterS).filter((s) => s > 0);
  const seconds = Math.ceil(drainS) + 1;
  return {
    portals: outcomes,
    messages: spec.messages,
    accepted: keys.length,
    published: done,
    refused: spec.messages - keys.length,
    failed: await failedWorkflows(system.temporalAddress, tag),
    unpublished: keys.length - done,
    duplicates: keys.filter((k) => (ledger.created.get(k.key) ?? 0) > 1).length,
    calls: calls.length,
    rateLimited: calls.filter((c) => c.status === 429).length,
    rateLimitedShare: round(calls.filter((c) => c.status === 429).length / Math.max(1, calls.length), 4),
    drainS: round(drainS),
    messagesPerSecond: round(done / Math.max(0.001, drainS)),
    limit: spec.rateLimit,
    starvationRatio: round(Math.max(...completions) / Math.max(0.001, Math.min(...completions)), 2),
    callsPerSecond: Object.fromEntries(
      portals.map((p) => {
        const series = new Array<number>(seconds).fill(0);
        for (const c of calls)
          if (c.portalId === p.portalId && c.status !== 429)
            series[Math.min(seconds - 1, Math.floor((c.at - startedAt) / 1000))]! += 1;
        return [p.portalId, series];
      }),
    ),
    ...(replyPlan ? { outbound: backlogReplies(sent, ledger, calls) } : {}),
    cpuCores,
  };
}

/** How many of this backlog's message workflows ended failed, from Temporal's visibility. */
async function failedWorkflows(address: string, tag: string): Promise<number> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    let failed = 0;
    for await (const execution of client.workflow.list({
      query: `ExecutionStatus = 'Failed' AND WorkflowType = '${INBOUND_WORKFLOW_TYPE}'`,
    })) {
      if (execution.workflowId.includes(tag)) failed += 1;
    }
    return failed;
  } finally {
    await connection.close();
  }
}

function portalOutcome(
  portalId: string,
  keys: readonly { key: string; portal: string }[],
  ledger: HubSpotLedger,
  allCalls: readonly { at: number; status: number; portalId?: string }[],
  startedAt: number,
  limit: BacklogSpec['rateLimit'],
): PortalOutcome {
  const mine = keys.filter((k) => k.portal === portalId);
  const publishes = mine.flatMap((k) => (ledger.firstPublish.has(k.key) ? [ledger.firstPublish.get(k.key)!.at] : []));
  const calls = allCalls.filter((c) => c.portalId === portalId);
  const accepted = calls
    .filter((c) => c.status !== 429)
    .map((c) => c.at)
    .sort((a, b) => a - b);
  const first = accepted[0] ?? startedAt;
  const last = Math.max(first, ...publishes);
  const steadyFrom = first + limit.intervalMs;
  const steadyS = (last - steadyFrom) / 1000;
  const steadyRate = steadyS > 0 ? accepted.filter((t) => t >= steadyFrom && t <= last).length / steadyS : 0;
  let busiest = 0;
  for (let i = 0, j = 0; j < accepted.length; j++) {
    while (accepted[j]! - accepted[i]! >= limit.intervalMs) i++;
    busiest = Math.max(busiest, j - i + 1);
  }
  return {
    portalId,
    messages: mine.length,
    published: publishes.length,
    calls: accepted.length,
    rateLimited: calls.length - accepted.length,
    completedAfterS: round((last - startedAt) / 1000),
    steadyRate: round(steadyRate, 2),
    shareOfLimit: round(steadyRate / (limit.max / (limit.intervalMs / 1000)), 3),
    busiestWindow: busiest,
  };
}
