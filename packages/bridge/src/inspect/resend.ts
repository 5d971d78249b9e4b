import { WorkflowExecutionAlreadyStartedError, type WorkflowExecutionDescription } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { OutboundRequest } from '../domain/outbound.js';
import {
  AccountIdKey,
  ConversationKeyKey,
  DirectionKey,
  HubSpotMessageIdKey,
  ProviderKey,
  StatusKey,
} from '../domain/search-attributes.js';
import { MessageStatus } from '../domain/signals.js';
import type { outboundMessageWorkflowV3 } from '../workflows/outbound-message.js';
import { uiLink, type InspectContext } from './context.js';
import { NotRetryable } from './errors.js';
import type { RetryResult } from './retry.js';
import type { RetryAdvice } from './retry-advice.js';
import { partsFailedAfterSending } from './failed-parts.js';
import { decodedObject } from './runs.js';
import { buildTimeline } from './timeline.js';
import { OUTBOUND_WORKFLOW_TYPE } from '../domain/workflow-types.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * Sends a failed reply again: a new run of `outboundMessageWorkflowV3` under the same workflow id
 * (`outbound:{hubspotMessageId}`), with the failed run's own input plus `retry`, read from its history.
 *
 * Why the same workflow id and not `…:retry-n`: everything else finds a reply by it. Receipts are routed to the
 * workflow id the store mapped each provider message id to (src/api/route-receipt.ts), so receipts for parts the failed
 * run delivered reach the new run; the reply line's turn is keyed by it; `messages show` and the search attributes
 * resolve to the newest run; a HubSpot webhook redelivered later still meets REJECT_DUPLICATE. The part ledger is keyed
 * by the HubSpot message id, so parts already delivered are not sent again, and the workflow counts its window from
 * `retry.requestedAt`. The new run PATCHes SENT over FAILED: [INFERRED] HubSpot documents no order of statuses
 * (the "never backwards" rule is the bridge's own, within one run), and the sandbox accepts it.
 */
export async function resendReply(
  ctx: InspectContext,
  description: WorkflowExecutionDescription,
  reason: string,
): Promise<RetryResult> {
  const { workflowId } = description;
  const events = (await ctx.client.workflow.getHandle(workflowId, description.runId).fetchHistory()).events ?? [];
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  const request = started
    ? (decodedObject(ctx, started.input?.payloads?.[0]) as OutboundRequest | undefined)
    : undefined;
  if (!started || !request?.hubspotMessageId)
    throw new NotRetryable(`${workflowId}: its history holds no reply to send again (no readable start event)`);
  const incurable = incurableFailure(ctx, events);
  if (incurable) throw new NotRetryable(`${workflowId}: ${incurable.reason}`);

  const attempt = (request.retry?.attempt ?? 0) + 1;
  // Parts the provider took and then reported failed go again under a ledger row of this retry; the rest are skipped.
  const resendParts = partsFailedAfterSending(ctx, events);
  const retried: OutboundRequest = {
    ...request,
    retry: {
      of: workflowId,
      attempt,
      requestedAt: new Date().toISOString(),
      ...(resendParts.length > 0 ? { resendParts } : {}),
    },
  };
  try {
    const handle = await ctx.client.workflow.start<typeof outboundMessageWorkflowV3>(OUTBOUND_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: started.taskQueue?.name ?? '',
      args: [retried],
      // The failed run is closed; REJECT_DUPLICATE stays on the api's start, so a redelivered webhook still dedupes.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: searchAttributesOf(description),
      memo: { retry: { attempt, of: description.runId, reason } },
    });
    return {
      kind: 'resend',
      workflowId,
      previousRunId: description.runId,
      runId: handle.firstExecutionRunId,
      fromStep: 'the start (a new run; parts already delivered are skipped)',
      attempt,
      uiUrl: uiLink(ctx, workflowId, handle.firstExecutionRunId),
    };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new NotRetryable(
        `${workflowId} is being sent again already (another retry started a run a moment ago): see messages show ${workflowId}`,
      );
    }
    throw error;
  }
}

/** The failed run's ids, so the new run is listed and found like the first until it sets its own. */
function searchAttributesOf(description: WorkflowExecutionDescription) {
  const sa = description.typedSearchAttributes;
  const copied = [AccountIdKey, HubSpotMessageIdKey, DirectionKey, ConversationKeyKey, ProviderKey].flatMap((key) => {
    const value = sa.get(key);
    return value === undefined ? [] : [{ key, value }];
  });
  return [...copied, { key: StatusKey, value: MessageStatus.Accepted }];
}

/**
 * Two failures a new run would not cure, read from the failed run's history, each with what to do instead:
 * - the provider took every part (SENT) and no failed receipt says which part failed: the part ledger records every
 *   part as sent, so a new run would send nothing and report SENT again (parts a failed receipt names are sent again);
 * - the plan refused one of its files (size, type): the same files are refused the same way, with nothing sent.
 * Undefined when a new run can deliver the reply.
 */
export function incurableFailure(ctx: InspectContext, events: readonly HistoryEvent[]): RetryAdvice | undefined {
  const timeline = buildTimeline(events);
  const completed = events.at(-1)?.workflowExecutionCompletedEventAttributes;
  const result = completed ? decodedObject(ctx, completed.result?.payloads?.[0]) : undefined;
  const why = typeof result?.reason === 'string' ? result.reason : 'no reason recorded';
  if (
    timeline.some((e) => e.kind === 'status' && e.name === MessageStatus.Sent) &&
    partsFailedAfterSending(ctx, events).length === 0
  ) {
    return {
      retryable: false,
      label: 'no: sent, then failed',
      reason: `the provider took every part (SENT) and no failed receipt names one of them (${why}); a retry would find every part recorded as sent and send nothing: ask the rep to send the reply again from HubSpot`,
    };
  }
  const planned = timeline.some(
    (e) => e.kind === 'activity' && e.name === 'planOutboundReply' && e.outcome === 'completed',
  );
  const delivering = timeline.some((e) => e.kind === 'activity' && e.name === 'deliverOutboundPart');
  if (completed && planned && !delivering && result?.status === 'FAILED') {
    return {
      retryable: false,
      label: 'no: refused as written',
      reason: `the provider's rules refuse the reply as written (${why}); a retry would be refused the same way: ask the rep to send it again without that file`,
    };
  }
  return undefined;
}
