import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { DEFAULT_INBOUND_SETTINGS } from '../../activities/inbound-settings.js';
import { StatusKey } from '../../domain/search-attributes.js';
import { MessageStatus } from '../../domain/signals.js';
import type { Store } from '../../store/types.js';
import { hubSpotCallsByPortal, type PortalCalls } from './hubspot-calls.js';
import { MESSAGE_WORKFLOWS_QUERY } from '../../domain/workflow-types.js';
import { directionClause, statusClause } from '../../domain/message-visibility.js';

// CommonJS package: its namespace object is the default export under ESM.
const { TaskQueueType } = proto.temporal.api.enums.v1;

export interface OverviewDeps {
  readonly temporal: Client;
  readonly store: Store;
  readonly taskQueue: string;
  readonly namespace: string;
  readonly checkTemporal: () => Promise<unknown>;
}

export interface Reachability {
  readonly ok: boolean;
  readonly error?: string;
}

export interface Poller {
  readonly kind: 'workflow' | 'activity';
  readonly identity: string;
  readonly lastAccessTime?: string;
}

export interface Overview {
  /** Averaged over RATE_MINUTES; from Temporal visibility (message workflows started). */
  readonly perMinute?: { readonly inbound: number; readonly outbound: number };
  /** Message workflows started in the last hour, by their BridgeStatus now. */
  readonly lastHour?: { readonly published: number; readonly sent: number; readonly failed: number };
  /** Held now (running, BridgeStatus HELD), whenever they started. */
  readonly held?: number;
  readonly oldestWaiting?: { readonly workflowId: string; readonly startTime: string; readonly status?: string };
  readonly waiting?: number;
  /** From the store's call slots: every portal with a connected account or calls counted, whatever Temporal's state. */
  readonly calls?: { readonly portals: readonly (PortalCalls & { readonly tokenStatus?: string })[] };
  readonly limit: { readonly max: number; readonly intervalMs: number };
  readonly temporal: Reachability;
  readonly store: Reachability;
  readonly pollers?: readonly Poller[];
  /** Figures that could not be read, with why (Temporal down, say). */
  readonly problems: readonly string[];
}

export const RATE_MINUTES = 5;
const CALL_MINUTES = 10;
const BRIDGE_MESSAGES = MESSAGE_WORKFLOWS_QUERY;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function reach(check: () => Promise<unknown>): Promise<Reachability> {
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000).unref()),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
}

/** Everything the overview shows; a figure that cannot be read is left out and its reason listed in `problems`. */
export async function readOverview(deps: OverviewDeps, now = Date.now()): Promise<Overview> {
  const problems: string[] = [];
  const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      problems.push(`${what}: ${messageOf(error)}`);
      return undefined;
    }
  };
  const [temporal, store] = await Promise.all([reach(deps.checkTemporal), reach(() => deps.store.ping())]);
  const count = async (query: string) => (await deps.temporal.workflow.count(query)).count;
  const since = (minutes: number) => `StartTime >= "${new Date(now - minutes * 60_000).toISOString()}"`;
  // This bridge's messages only: a namespace may hold other task queues (another bridge, a test beside it).
  const MESSAGES = `${BRIDGE_MESSAGES} AND TaskQueue = "${deps.taskQueue.replace(/["\\]/g, '')}"`;
  const live = temporal.ok;
  const perMinute = !live
    ? undefined
    : await attempt('messages per minute', async () => ({
        inbound:
          (await count(`${MESSAGES} AND ${directionClause('inbound')} AND ${since(RATE_MINUTES)}`)) / RATE_MINUTES,
        outbound:
          (await count(`${MESSAGES} AND ${directionClause('outbound')} AND ${since(RATE_MINUTES)}`)) / RATE_MINUTES,
      }));
  const lastHour = !live
    ? undefined
    : await attempt('counts of the last hour', async () => ({
        published: await count(`${MESSAGES} AND ${statusClause(MessageStatus.Published)} AND ${since(60)}`),
        sent: await count(`${MESSAGES} AND (BridgeStatus = "SENT" OR BridgeStatus = "READ") AND ${since(60)}`),
        failed: await count(`${MESSAGES} AND BridgeStatus = "FAILED" AND ${since(60)}`),
      }));
  const held = !live
    ? undefined
    : await attempt('held messages', () =>
        count(`${MESSAGES} AND BridgeStatus = "HELD" AND ExecutionStatus = "Running"`),
      );
  const waiting = !live
    ? undefined
    : await attempt('the oldest waiting message', () => oldestRunning(deps.temporal, MESSAGES));
  const calls = await attempt('HubSpot calls', () => portalCalls(deps, now));
  const pollers = !live ? undefined : await attempt('workers polling', () => pollersOf(deps));
  if (!live) problems.push(`Temporal is unreachable (${temporal.error}): its figures are not shown`);
  return {
    perMinute,
    lastHour,
    held,
    oldestWaiting: waiting?.oldest,
    waiting: waiting?.count,
    calls,
    pollers,
    temporal,
    store,
    problems,
    limit: DEFAULT_INBOUND_SETTINGS.rateLimit,
  };
}

/** Visibility lists newest first, so the oldest running message is the last one read. */
async function oldestRunning(
  client: Client,
  messages: string,
): Promise<{ oldest?: { workflowId: string; startTime: string; status?: string }; count: number }> {
  let oldest: { workflowId: string; startTime: string; status?: string } | undefined;
  let count = 0;
  for await (const e of client.workflow.list({ query: `${messages} AND ExecutionStatus = "Running"`, pageSize: 200 })) {
    count += 1;
    if (!oldest || e.startTime.toISOString() < oldest.startTime)
      oldest = {
        workflowId: e.workflowId,
        startTime: e.startTime.toISOString(),
        status: e.typedSearchAttributes.get(StatusKey),
      };
    if (count >= 2000) break;
  }
  return { oldest, count };
}

async function portalCalls(deps: OverviewDeps, now: number) {
  const accounts = await deps.store.listAccounts();
  const found = await hubSpotCallsByPortal(
    deps.store,
    now - CALL_MINUTES * 60_000,
    DEFAULT_INBOUND_SETTINGS.rateLimit.intervalMs,
    now,
  );
  const tokens = new Map((await deps.store.listPortals()).map((p) => [p.portalId, p.status]));
  // A portal whose accounts were removed still shows while its calls are counted.
  const portalIds = [...new Set([...accounts.map((a) => a.portalId), ...found.map((p) => p.portalId)])].sort();
  const portals = portalIds.map((portalId) => ({
    ...(found.find((p) => p.portalId === portalId) ?? { portalId, calls: 0, inWindow: 0, rateLimited: 0 }),
    tokenStatus: tokens.get(portalId),
  }));
  return { portals };
}

/** DescribeTaskQueue's pollers: workers that asked the bridge's task queue for work in the last minutes. */
async function pollersOf(deps: OverviewDeps): Promise<Poller[]> {
  const found: Poller[] = [];
  for (const [kind, type] of [
    ['workflow', TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
    ['activity', TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
  ] as const) {
    const answer = await deps.temporal.workflowService.describeTaskQueue({
      namespace: deps.namespace,
      taskQueue: { name: deps.taskQueue },
      taskQueueType: type,
    });
    for (const p of answer.pollers ?? []) {
      const seconds = p.lastAccessTime?.seconds;
      found.push({
        kind,
        identity: p.identity ?? '(no identity)',
        lastAccessTime: seconds == null ? undefined : new Date(Number(String(seconds)) * 1000).toISOString(),
      });
    }
  }
  return found;
}

export const CALL_WINDOW_MINUTES = CALL_MINUTES;
