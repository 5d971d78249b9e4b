import { randomUUID } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import { classify, uiLink, type InspectContext } from './context.js';
import { NotRetryable } from './errors.js';
import { resolveMessage } from './resolve.js';
import { buildTimeline } from './timeline.js';

export interface RetryResult {
  readonly workflowId: string;
  /** The failed run that was reset. */
  readonly previousRunId: string;
  /** The new run, continuing from the reset point under the same workflow id. */
  readonly runId: string;
  /** The activity that failed and runs again first. */
  readonly fromStep: string;
  readonly resetToEventId: number;
  readonly uiUrl: string;
}

const RETRYABLE = new Set(['FAILED', 'TIMED_OUT', 'TERMINATED', 'CANCELLED']);

/**
 * Re-runs a failed message from its failed step: resets the workflow to the workflow task that scheduled
 * the last failed activity (ResetWorkflowExecution). Everything before it is kept in history, the activities
 * after it run again, and the workflow id (so HubSpot's integrationIdempotencyId) stays the same, so a
 * publish that did reach HubSpot is answered from its idempotency record, never duplicated. Without a
 * failed activity (the workflow itself failed), it resets to the first workflow task: a full re-run.
 */
export async function retryMessage(ctx: InspectContext, id: string, reason = 'retried by an operator'): Promise<RetryResult> {
  const description = await resolveMessage(ctx, id);
  if (!RETRYABLE.has(description.status.name)) {
    throw new NotRetryable(`${description.workflowId} is ${description.status.name}, not failed: nothing to retry`);
  }
  try {
    const handle = ctx.client.workflow.getHandle(description.workflowId, description.runId);
    const events = (await handle.fetchHistory()).events ?? [];
    const timeline = buildTimeline(events);
    const failed = timeline.filter((e) => e.kind === 'activity' && (e.outcome === 'failed' || e.outcome === 'timed-out')).at(-1);
    const firstTask = events.find((e) => e.workflowTaskCompletedEventAttributes);
    const resetTo = failed?.scheduledBy ?? (firstTask ? Number(String(firstTask.eventId)) : undefined);
    if (!resetTo) throw new NotRetryable(`${description.workflowId} never completed a workflow task: there is no step to re-run from`);
    const response: temporal.api.workflowservice.v1.IResetWorkflowExecutionResponse = await ctx.client.workflowService.resetWorkflowExecution({
      namespace: ctx.namespace,
      workflowExecution: { workflowId: description.workflowId, runId: description.runId },
      reason,
      // int64 in the proto; protobufjs encodes a plain number.
      workflowTaskFinishEventId: resetTo as unknown as temporal.api.workflowservice.v1.IResetWorkflowExecutionRequest['workflowTaskFinishEventId'],
      requestId: randomUUID(),
    });
    const runId = response.runId ?? '';
    return {
      workflowId: description.workflowId,
      previousRunId: description.runId,
      runId,
      fromStep: failed?.name ?? 'the start',
      resetToEventId: resetTo,
      uiUrl: uiLink(ctx, description.workflowId, runId),
    };
  } catch (error) {
    throw classify(error);
  }
}
