import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { temporal } from '@temporalio/proto';
import { round } from '../stats.js';

export interface HistoryProfile {
  readonly workflows: number;
  /** Mean history events per workflow. */
  readonly eventsPerWorkflow: number;
  /** Mean events per workflow by type (ActivityTaskScheduled, WorkflowTaskCompleted, …), largest first. */
  readonly byType: Record<string, number>;
  readonly activitiesPerWorkflow: number;
  /**
   * Local activities (recorded as `core_local_activity` markers): run inside a workflow task, no task-queue round trip.
   */
  readonly localActivitiesPerWorkflow: number;
  readonly workflowTasksPerWorkflow: number;
  readonly signalsPerWorkflow: number;
}

// CommonJS package: its namespace object is the default export under ESM.
const TYPE_NAMES = proto.temporal.api.enums.v1.EventType;
const typeName = (t: temporal.api.enums.v1.EventType | null | undefined) =>
  (TYPE_NAMES[t ?? 0] ?? String(t))
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());

/** Counts the history events of the given workflows (Temporal's fetchHistory): what each message costs the engine. */
export async function profileHistories(address: string, workflowIds: readonly string[]): Promise<HistoryProfile> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const counts = new Map<string, number>();
    let total = 0;
    let found = 0;
    for (const id of workflowIds) {
      const history = await client.workflow
        .getHandle(id)
        .fetchHistory()
        .catch(() => undefined);
      if (!history?.events) continue;
      found += 1;
      total += history.events.length;
      for (const event of history.events) {
        const name =
          event.markerRecordedEventAttributes?.markerName === 'core_local_activity'
            ? 'localActivity'
            : typeName(event.eventType);
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
    }
    const per = (name: string) => round((counts.get(name) ?? 0) / Math.max(1, found), 2);
    return {
      workflows: found,
      eventsPerWorkflow: round(total / Math.max(1, found), 2),
      byType: Object.fromEntries(
        [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([name, n]) => [name, round(n / Math.max(1, found), 2)]),
      ),
      activitiesPerWorkflow: per('activityTaskScheduled'),
      localActivitiesPerWorkflow: per('localActivity'),
      workflowTasksPerWorkflow: per('workflowTaskCompleted'),
      signalsPerWorkflow: per('workflowExecutionSignaled'),
    };
  } finally {
    await connection.close();
  }
}
