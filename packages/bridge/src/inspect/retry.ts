import { randomUUID } from 'node:crypto';
import type { WorkflowExecutionDescription } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { classify, uiLink, type InspectContext } from './context.js';
import { NotRetryable } from './errors.js';
import { resendReply } from './resend.js';
import { resolveMessage } from './resolve.js';
import { refusalText, retryAdvice } from './retry-advice.js';
import { summary } from './show.js';
import { buildTimeline } from './timeline.js';

export interface RetryResult {
  /** `reset`: the failed run goes on from its failed step. `resend`: a new run sends a failed reply again. */
  readonly kind: 'reset' | 'resend';
  readonly workflowId: string;
  /** The failed run. */
  readonly previousRunId: string;
  /** The new run, under the same workflow id. */
  readonly runId: string;
  /** Reset: the activity that failed and runs again first. Resend: the start. */
  readonly fromStep: string;
  /** Reset only: the WorkflowTaskCompleted event the run was reset to. */
  readonly resetToEventId?: number;
  /** Resend only: 1 for the first retry of the reply, 2 for the next… */
  readonly attempt?: number;
  readonly uiUrl: string;
}

/**
 * Retries a failed message, or refuses with the reason and what to do instead (src/inspect/retry-advice.ts). A message
 * whose run failed is reset; a reply that failed to reach the customer (its workflow completed with result FAILED) is
 * sent again in a new run (src/inspect/resend.ts).
 */
export async function retryMessage(
  ctx: InspectContext,
  id: string,
  reason = 'retried by an operator',
): Promise<RetryResult> {
  const description = await resolveMessage(ctx, id);
  const facts = summary(description);
  const advice = retryAdvice(facts);
  if (!advice.retryable) throw new NotRetryable(refusalText(description.workflowId, facts, advice));
  try {
    return advice.kind === 'resend'
      ? await resendReply(ctx, description, reason)
      : await resetRun(ctx, description, reason);
  } catch (error) {
    throw classify(error);
  }
}

/**
 * Resets the workflow to the workflow task that scheduled the last failed activity (ResetWorkflowExecution). Everything
 * before it is kept in history, the activities after it run again, and the workflow id (so HubSpot's
 * integrationIdempotencyId) stays the same, so a publish that did reach HubSpot is answered from its idempotency
 * record, never duplicated. Without a failed activity (the workflow itself failed), it resets to the first workflow
 * task: a full re-run.
 */
async function resetRun(
  ctx: InspectContext,
  description: WorkflowExecutionDescription,
  reason: string,
): Promise<RetryResult> {
  const handle = ctx.client.workflow.getHandle(description.workflowId, description.runId);
  const events = (await handle.fetchHistory()).events ?? [];
  const timeline = buildTimeline(events);
  const failed = timeline
    .filter((e) => e.kind === 'activity' && (e.outcome === 'failed' || e.outcome === 'timed-out'))
    .at(-1);
  const firstTask = events.find((e) => e.workflowTaskCompletedEventAttributes);
  const resetTo = failed?.scheduledBy ?? (firstTask ? Number(String(firstTask.eventId)) : undefined);
  if (!resetTo)
    throw new NotRetryable(
      `${description.workflowId} never completed a workflow task: there is no step to re-run from`,
    );
  const response: temporal.api.workflowservice.v1.IResetWorkflowExecutionResponse =
    await ctx.client.workflowService.resetWorkflowExecution({
      namespace: ctx.namespace,
      workflowExecution: { workflowId: description.workflowId, runId: description.runId },
      reason,
      // int64 in the proto; protobufjs encodes a plain number.
      workflowTaskFinishEventId:
        resetTo as unknown as temporal.api.workflowservice.v1.IResetWorkflowExecutionRequest['workflowTaskFinishEventId'],
      requestId: randomUUID(),
    });
  const runId = response.runId ?? '';
  return {
    kind: 'reset',
    workflowId: description.workflowId,
    previousRunId: description.runId,
    runId,
    fromStep: failed?.name ?? 'the start',
    resetToEventId: resetTo,
    uiUrl: uiLink(ctx, description.workflowId, runId),
  };
}
