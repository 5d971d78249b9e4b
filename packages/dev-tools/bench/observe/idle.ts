import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import Database from 'better-sqlite3';

/** What was still going on in a system when the bench looked. */
export interface IdleState {
  /** Workflows the namespace's visibility counts as Running, in all and by workflow type. */
  readonly openWorkflows: number;
  readonly openByType: Record<string, number>;
  /** Approximate backlog per task queue and kind (`channel-bridge/workflow`); null where the server gave no stats. */
  readonly pendingTasks: Record<string, number | null>;
  /** Catch-up holds in the bridge's store that have not expired yet. */
  readonly catchUpHolds: number;
}

/** The check before one scenario (or ladder target): whether the system was drained and idle, and how long it took. */
export interface IdleCheck {
  readonly label: string;
  readonly drained: boolean;
  readonly waitedMs: number;
  /** The last state seen: all zero when drained. */
  readonly state: IdleState;
}

/** Idle: no open workflow, no pending task on any queue, no catch-up hold. A queue without stats counts as unknown. */
export function isIdle(state: IdleState): boolean {
  return (
    state.openWorkflows === 0 &&
    state.catchUpHolds === 0 &&
    Object.values(state.pendingTasks).every((n) => n === 0 || n === null)
  );
}

/** One line for the report: "drained, 1.2 s" or what was still open when the wait ended. */
export function describeIdle(check: IdleCheck): string {
  const s = check.state;
  const waited = `${(check.waitedMs / 1000).toFixed(1)} s`;
  const open = [
    s.openWorkflows > 0
      ? `${s.openWorkflows} open workflows (${Object.entries(s.openByType)
          .map(([type, n]) => `${type} ${n}`)
          .join(', ')})`
      : '',
    ...Object.entries(s.pendingTasks).flatMap(([queue, n]) => (n ? [`${n} tasks pending on ${queue}`] : [])),
    s.catchUpHolds > 0 ? `${s.catchUpHolds} catch-up holds` : '',
  ].filter(Boolean);
  const unknown = Object.entries(s.pendingTasks).flatMap(([queue, n]) => (n === null ? [queue] : []));
  const note = unknown.length ? ` (no backlog stats for ${unknown.join(', ')})` : '';
  return check.drained ? `drained after ${waited}${note}` : `not drained after ${waited}: ${open.join('; ')}${note}`;
}

export interface IdleProbe {
  read(): Promise<IdleState>;
  close(): Promise<void>;
}

const LIST_AT_MOST = 200;

const QUEUE_KINDS = {
  workflow: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  activity: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
} as const;

/**
 * Reads a system's state: visibility's count of Running executions (grouped by type), each task queue's approximate
 * backlog (DescribeTaskQueue with `reportStats`, which the dev server of Temporal CLI 1.x answers; a server that
 * does not leaves it null), and the unexpired rows of the bridge store's `catch_up_holds` (read-only).
 */
export async function idleProbe(options: {
  readonly temporalAddress: string;
  readonly namespace?: string;
  readonly taskQueues: readonly string[];
  /** The bridge's SQLite store; absent for a system without one. */
  readonly storeFile?: string;
}): Promise<IdleProbe> {
  const namespace = options.namespace ?? 'default';
  const connection = await Connection.connect({ address: options.temporalAddress });
  const client = new Client({ connection, namespace });
  let db: Database.Database | undefined;
  const holds = () => {
    if (!options.storeFile || !fs.existsSync(options.storeFile)) return 0;
    db ??= new Database(options.storeFile, { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT COUNT(*) AS n FROM catch_up_holds WHERE hold_until_ms > ?').get(Date.now()) as {
      n: number;
    };
    return row.n;
  };
  const backlog = async (queue: string, type: number): Promise<number | null> => {
    const answer = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: queue },
      taskQueueType: type,
      reportStats: true,
    });
    const count = answer.stats?.approximateBacklogCount;
    return count === undefined || count === null ? null : Number(count);
  };
  return {
    async read() {
      const open = await client.workflow.count('ExecutionStatus="Running"');
      // Visibility groups counts only by ExecutionStatus, so the types come from listing (the first few hundred).
      const openByType: Record<string, number> = {};
      let listed = 0;
      if (open.count > 0)
        for await (const execution of client.workflow.list({ query: 'ExecutionStatus="Running"' })) {
          openByType[execution.type] = (openByType[execution.type] ?? 0) + 1;
          if (++listed >= LIST_AT_MOST) break;
        }
      const pendingTasks: Record<string, number | null> = {};
      for (const queue of options.taskQueues)
        for (const [kind, type] of Object.entries(QUEUE_KINDS))
          pendingTasks[`${queue}/${kind}`] = await backlog(queue, type).catch(() => null);
      return { openWorkflows: open.count, openByType, pendingTasks, catchUpHolds: holds() };
    },
    async close() {
      db?.close();
      await connection.close();
    },
  };
}

/** Polls `probe` until the system is idle or `timeoutMs` passed, and says which. */
export async function waitUntilIdle(probe: IdleProbe, label: string, timeoutMs: number): Promise<IdleCheck> {
  const started = Date.now();
  for (;;) {
    const state = await probe.read();
    const drained = isIdle(state);
    if (drained || Date.now() - started >= timeoutMs) return { label, drained, waitedMs: Date.now() - started, state };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
