import type { WorkflowExecutionDescription } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import {
  AccountIdKey,
  ConversationKeyKey,
  DirectionKey,
  HubSpotMessageIdKey,
  ProviderKey,
  ProviderMessageIdKey,
  StatusKey,
} from '../domain/search-attributes.js';
import { directionOf, messageStatusOf } from '../domain/message-visibility.js';
import { classify, uiLink, type InspectContext } from './context.js';
import { incurableFailure } from './resend.js';
import { resolveMessage } from './resolve.js';
import { retryAdvice, type RetryAdvice } from './retry-advice.js';
import { decodedObject, runsOf, type RunSummary } from './runs.js';
import { buildTimeline, type TimelineEntry } from './timeline.js';

/** Everything `messages show` prints and `GET /admin/messages/:id` answers. */
export interface MessageReport {
  readonly workflowId: string;
  readonly runId: string;
  readonly workflowType: string;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, TERMINATED… */
  readonly executionStatus: string;
  /**
   * The bridge's status: ACCEPTED, HELD, PUBLISHED, SENT, READ, FAILED. BridgeStatus, except a completed inbound run of
   * version 3, which is PUBLISHED (src/domain/message-visibility.ts).
   */
  readonly status?: string;
  /** From the workflow type. */
  readonly direction?: string;
  /** BridgeProvider, or (inbound since version 3, which does not set it) the message in the run's input. */
  readonly provider?: string;
  readonly accountId?: string;
  readonly conversationKey?: string;
  readonly providerMessageId?: string;
  /** HubSpotMessageId, or (inbound since version 3) the run's result or the store's mapping. */
  readonly hubspotMessageId?: string;
  readonly startTime: string;
  readonly closeTime?: string;
  /** Whether `messages retry` acts on the message now, how, or why not and what to do instead. */
  readonly retry: RetryAdvice;
  /** Every run of the message, oldest first: more than one when it was retried (the timeline is the latest's). */
  readonly attempts: readonly RunSummary[];
  readonly timeline: readonly Omit<TimelineEntry, 'eventId' | 'scheduledBy'>[];
  readonly uiUrl: string;
}

export function summary(
  description: Pick<
    WorkflowExecutionDescription,
    'workflowId' | 'runId' | 'type' | 'status' | 'startTime' | 'closeTime' | 'typedSearchAttributes'
  >,
) {
  const sa = description.typedSearchAttributes;
  const facts = {
    workflowId: description.workflowId,
    runId: description.runId,
    workflowType: description.type,
    executionStatus: description.status.name,
    status: messageStatusOf({
      workflowType: description.type,
      executionStatus: description.status.name,
      status: sa.get(StatusKey),
    }),
    direction: directionOf(description.type) ?? sa.get(DirectionKey),
    provider: sa.get(ProviderKey),
    accountId: sa.get(AccountIdKey),
    conversationKey: sa.get(ConversationKeyKey),
    providerMessageId: sa.get(ProviderMessageIdKey),
    hubspotMessageId: sa.get(HubSpotMessageIdKey),
    startTime: description.startTime.toISOString(),
    closeTime: description.closeTime?.toISOString(),
  };
  return { ...facts, retry: retryAdvice(facts) };
}

/**
 * What an inbound run of version 3 keeps out of its search attributes, read from its history instead: the provider
 * from the message it started with, the HubSpot message id from its result.
 */
function factsFromHistory(ctx: InspectContext, events: readonly temporal.api.history.v1.IHistoryEvent[]) {
  const input = decodedObject(ctx, events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]);
  const result = decodedObject(ctx, events.at(-1)?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0]);
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { provider: text(input?.provider), hubspotMessageId: text(result?.hubspotMessageId) };
}

/** Resolves the id to its latest run, reads that run's history into a timeline, and lists every run of the message. */
export async function showMessage(ctx: InspectContext, id: string): Promise<MessageReport> {
  const description = await resolveMessage(ctx, id);
  try {
    const history = await ctx.client.workflow.getHandle(description.workflowId, description.runId).fetchHistory();
    const timeline = buildTimeline(history.events ?? [], description.raw.pendingActivities ?? []).map(
      ({ eventId: _e, scheduledBy: _s, ...entry }) => entry,
    );
    const attempts = await runsOf(ctx, description.workflowId);
    const listed = summary(description);
    const kept = factsFromHistory(ctx, history.events ?? []);
    const facts = {
      ...listed,
      provider: listed.provider ?? kept.provider,
      hubspotMessageId: listed.hubspotMessageId ?? kept.hubspotMessageId,
    };
    // The history tells what the status alone cannot: a failed reply that a new run would not deliver.
    const retry =
      listed.retry.kind === 'resend' ? (incurableFailure(ctx, history.events ?? []) ?? listed.retry) : listed.retry;
    return { ...facts, retry, attempts, timeline, uiUrl: uiLink(ctx, description.workflowId, description.runId) };
  } catch (error) {
    throw classify(error);
  }
}
