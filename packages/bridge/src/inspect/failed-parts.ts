import type { temporal } from '@temporalio/proto';
import type { InspectContext } from './context.js';
import { decodedObject } from './runs.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const SENDING_ACTIVITIES = new Set(['deliverOutboundPart', 'sendPartOutsideWindow']);

/**
 * The parts of a reply the provider took and later reported failed (a `failed` receipt for one of the messages a part
 * became), read from the run's history: which provider ids each part's sends became (their activities' inputs and
 * results), and which of those ids a `failed` receipt named. A retry sends exactly these parts again.
 */
export function partsFailedAfterSending(ctx: InspectContext, events: readonly HistoryEvent[]): number[] {
  const partOfScheduled = new Map<string, number>();
  const partOfProviderId = new Map<string, number>();
  const failedIds: string[] = [];
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled && SENDING_ACTIVITIES.has(scheduled.activityType?.name ?? '')) {
      const input = decodedObject(ctx, scheduled.input?.payloads?.[0]) as { part?: { index?: number } } | undefined;
      if (typeof input?.part?.index === 'number') partOfScheduled.set(String(event.eventId), input.part.index);
    }
    const completed = event.activityTaskCompletedEventAttributes;
    const part = completed ? partOfScheduled.get(String(completed.scheduledEventId)) : undefined;
    if (completed && part !== undefined) {
      const result = decodedObject(ctx, completed.result?.payloads?.[0]) as
        { providerMessageIds?: unknown } | undefined;
      for (const id of Array.isArray(result?.providerMessageIds) ? result.providerMessageIds : [])
        partOfProviderId.set(String(id), part);
    }
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (signal?.signalName === 'outboundReceipt') {
      const receipt = decodedObject(ctx, signal.input?.payloads?.[0]) as
        { providerMessageId?: string; status?: string } | undefined;
      if (receipt?.status === 'failed' && receipt.providerMessageId) failedIds.push(receipt.providerMessageId);
    }
  }
  return [...new Set(failedIds.flatMap((id) => (partOfProviderId.has(id) ? [partOfProviderId.get(id)!] : [])))].sort(
    (a, b) => a - b,
  );
}
