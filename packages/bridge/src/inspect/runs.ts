import type { temporal } from '@temporalio/proto';
import { messageStatusOf } from '../domain/message-visibility.js';
import { StatusKey } from '../domain/search-attributes.js';
import { uiLink, type InspectContext } from './context.js';
import { failureText } from './proto-values.js';
import { quoted } from './resolve.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * One run of a message's workflow. A message has several when it was retried: a reset run, or a reply's resend
 * (a new run under the same workflow id, src/inspect/resend.ts).
 */
export interface RunSummary {
  readonly runId: string;
  readonly executionStatus: string;
  readonly status?: string;
  readonly startTime: string;
  readonly closeTime?: string;
  /** How the run ended: its result (a reply's `FAILED: <reason>`) or its failure. */
  readonly outcome?: string;
  readonly uiUrl: string;
}

/** Every run of the workflow id, oldest first, each with how it ended. */
export async function runsOf(ctx: InspectContext, workflowId: string): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  for await (const execution of ctx.client.workflow.list({
    query: `WorkflowId = ${quoted(workflowId, 'the workflow id')}`,
    pageSize: 100,
  })) {
    const closed = execution.status.name !== 'RUNNING';
    const outcome = closed
      ? closeOutcome(
          ctx,
          (await ctx.client.workflow.getHandle(workflowId, execution.runId).fetchHistory()).events ?? [],
        )
      : undefined;
    runs.push({
      runId: execution.runId,
      executionStatus: execution.status.name,
      status: messageStatusOf({
        workflowType: execution.type,
        executionStatus: execution.status.name,
        status: execution.typedSearchAttributes.get(StatusKey),
      }),
      startTime: execution.startTime.toISOString(),
      closeTime: execution.closeTime?.toISOString(),
      ...(outcome ? { outcome } : {}),
      uiUrl: uiLink(ctx, workflowId, execution.runId),
    });
  }
  return runs.sort((a, b) => a.startTime.localeCompare(b.startTime));
}

/** The last event's story: a reply's result `{ status, reason }`, or why the run failed or stopped. */
export function closeOutcome(ctx: InspectContext, events: readonly HistoryEvent[]): string | undefined {
  const last = events.at(-1);
  if (!last) return undefined;
  const completed = last.workflowExecutionCompletedEventAttributes;
  if (completed) {
    const result = decodedObject(ctx, completed.result?.payloads?.[0]);
    return typeof result?.status === 'string'
      ? `${result.status}${typeof result.reason === 'string' ? `: ${result.reason}` : ''}`
      : 'completed';
  }
  if (last.workflowExecutionFailedEventAttributes)
    return `failed: ${failureText(last.workflowExecutionFailedEventAttributes.failure) ?? 'no reason recorded'}`;
  if (last.workflowExecutionTerminatedEventAttributes)
    return `terminated${last.workflowExecutionTerminatedEventAttributes.reason ? `: ${last.workflowExecutionTerminatedEventAttributes.reason}` : ''}`;
  if (last.workflowExecutionTimedOutEventAttributes) return 'timed out';
  if (last.workflowExecutionCanceledEventAttributes) return 'canceled';
  // Not a retry: the same run of work, its history renewed (a long hold or wait in line).
  if (last.workflowExecutionContinuedAsNewEventAttributes) return 'continued as new';
  return undefined;
}

/** A payload (a workflow's input or result) as an object, or undefined when it is not one. */
export function decodedObject(
  ctx: InspectContext,
  payload: temporal.api.common.v1.IPayload | null | undefined,
): Record<string, unknown> | undefined {
  if (!payload) return undefined;
  try {
    const value = ctx.client.options.loadedDataConverter.payloadConverter.fromPayload(
      payload as Parameters<typeof ctx.client.options.loadedDataConverter.payloadConverter.fromPayload>[0],
    );
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The latest run of each workflow id that has more than one; ids with a single run are left out. One visibility
 * query per 50 ids, then one describe per id that has several runs (retried messages, rare).
 */
export async function latestRuns(ctx: InspectContext, workflowIds: readonly string[]): Promise<Map<string, string>> {
  const counts = new Map<string, number>();
  const unique = [...new Set(workflowIds)];
  for (let i = 0; i < unique.length; i += 50) {
    const query = unique
      .slice(i, i + 50)
      .map((id) => `WorkflowId = ${quoted(id, 'the workflow id')}`)
      .join(' OR ');
    for await (const execution of ctx.client.workflow.list({ query, pageSize: 100 })) {
      counts.set(execution.workflowId, (counts.get(execution.workflowId) ?? 0) + 1);
    }
  }
  const latest = new Map<string, string>();
  for (const [workflowId, count] of counts) {
    if (count > 1) latest.set(workflowId, (await ctx.client.workflow.getHandle(workflowId).describe()).runId);
  }
  return latest;
}
