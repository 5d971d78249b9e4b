import type { temporal } from '@temporalio/proto';
import { messageStatusOf } from '../domain/message-visibility.js';
import { failureText, payloadValue, protoIso, protoMs } from './proto-values.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type PendingActivity = temporal.api.workflow.v1.IPendingActivityInfo;

/** One line of a message's story, built from its workflow history. */
export interface TimelineEntry {
  /** When the step began (ISO). */
  readonly at: string;
  readonly kind: 'workflow' | 'activity' | 'signal' | 'signal-sent' | 'timer' | 'status' | 'workflow-task';
  /** Activity type, signal name, timer id, or what happened to the workflow. */
  readonly name: string;
  outcome?:
    | 'completed'
    | 'failed'
    | 'timed-out'
    | 'canceled'
    | 'running'
    | 'scheduled'
    | 'fired'
    | 'started'
    | 'terminated'
    | 'continued-as-new'
    | 'set';
  /** Activities: how many attempts ran (the server records only the last one's start, with its number). */
  attempts?: number;
  /** From scheduling (or the timer's start) to the result. */
  durationMs?: number;
  /** The last attempt alone. */
  lastAttemptMs?: number;
  /** Errors seen, oldest first, each prefixed with its attempt when known. */
  readonly errors: string[];
  detail?: string;
  /** Internal: the event that began the step (activities are reset to the workflow task before it). */
  readonly eventId: number;
  /** Internal: for activities, the WorkflowTaskCompleted event whose commands scheduled it. */
  readonly scheduledBy?: number;
}

const num = (v: unknown) => (v == null ? 0 : Number(String(v)));

/**
 * Reads a history in order and folds it into steps: each activity once (with attempts, errors, durations; local
 * activities from their markers),
 * signals in and out, timers, search-attribute status changes, failed workflow tasks (nondeterminism shows
 * here) and the workflow's own start and end. `pending` (from describe) adds attempts still retrying.
 */
export function buildTimeline(
  events: readonly HistoryEvent[],
  pending: readonly PendingActivity[] = [],
): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const activities = new Map<number, TimelineEntry>();
  const activityStarts = new Map<number, number>();
  const timers = new Map<string, TimelineEntry>();
  const add = (
    event: HistoryEvent,
    entry: Omit<TimelineEntry, 'at' | 'errors' | 'eventId'> & { errors?: string[] },
  ) => {
    const full: TimelineEntry = {
      at: protoIso(event.eventTime) ?? '',
      eventId: num(event.eventId),
      errors: [],
      ...entry,
    };
    entries.push(full);
    return full;
  };
  const since = (entry: TimelineEntry, event: HistoryEvent) => (protoMs(event.eventTime) ?? 0) - Date.parse(entry.at);
  // The workflow's own clock, as the SDK keeps it: a local activity's marker is timed on it (see addLocalActivity).
  let workflowTime = 0;
  // The run's type and BridgeStatus so far: an inbound run of version 3 says PUBLISHED by completing (no upsert).
  let workflowType = '';
  let status: unknown;

  for (const event of events) {
    const eventId = num(event.eventId);
    if (event.workflowExecutionStartedEventAttributes) {
      const a = event.workflowExecutionStartedEventAttributes;
      workflowType = a.workflowType?.name ?? '';
      status = payloadValue(a.searchAttributes?.indexedFields?.BridgeStatus);
      add(event, {
        kind: 'workflow',
        name: a.workflowType?.name ?? 'workflow',
        outcome: 'started',
        detail: a.attempt && a.attempt > 1 ? `run attempt ${a.attempt}` : undefined,
      });
    } else if (event.activityTaskScheduledEventAttributes) {
      const a = event.activityTaskScheduledEventAttributes;
      activities.set(
        eventId,
        add(event, {
          kind: 'activity',
          name: a.activityType?.name ?? 'activity',
          outcome: 'scheduled',
          attempts: 0,
          scheduledBy: num(a.workflowTaskCompletedEventId),
          detail: a.activityId ? `activity id ${a.activityId}` : undefined,
        }),
      );
    } else if (event.activityTaskStartedEventAttributes) {
      const a = event.activityTaskStartedEventAttributes;
      const entry = activities.get(num(a.scheduledEventId));
      if (!entry) continue;
      entry.outcome = 'running';
      entry.attempts = a.attempt ?? 1;
      activityStarts.set(num(a.scheduledEventId), protoMs(event.eventTime) ?? 0);
      const previous = failureText(a.lastFailure);
      if (previous) entry.errors.push(`attempt ${entry.attempts - 1}: ${previous}`);
    } else if (
      event.activityTaskCompletedEventAttributes ||
      event.activityTaskFailedEventAttributes ||
      event.activityTaskTimedOutEventAttributes ||
      event.activityTaskCanceledEventAttributes
    ) {
      const a = (event.activityTaskCompletedEventAttributes ??
        event.activityTaskFailedEventAttributes ??
        event.activityTaskTimedOutEventAttributes ??
        event.activityTaskCanceledEventAttributes)!;
      const entry = activities.get(num(a.scheduledEventId));
      if (!entry) continue;
      entry.outcome = event.activityTaskCompletedEventAttributes
        ? 'completed'
        : event.activityTaskFailedEventAttributes
          ? 'failed'
          : event.activityTaskTimedOutEventAttributes
            ? 'timed-out'
            : 'canceled';
      entry.durationMs = since(entry, event);
      const started = activityStarts.get(num(a.scheduledEventId));
      if (started) entry.lastAttemptMs = (protoMs(event.eventTime) ?? started) - started;
      const failure = failureText(
        event.activityTaskFailedEventAttributes?.failure ?? event.activityTaskTimedOutEventAttributes?.failure,
      );
      if (failure) entry.errors.push(`attempt ${entry.attempts || 1}: ${failure}`);
    } else if (event.workflowExecutionSignaledEventAttributes) {
      add(event, {
        kind: 'signal',
        name: event.workflowExecutionSignaledEventAttributes.signalName ?? 'signal',
        outcome: 'completed',
      });
    } else if (event.signalExternalWorkflowExecutionInitiatedEventAttributes) {
      const a = event.signalExternalWorkflowExecutionInitiatedEventAttributes;
      add(event, {
        kind: 'signal-sent',
        name: a.signalName ?? 'signal',
        outcome: 'completed',
        detail: `to ${a.workflowExecution?.workflowId ?? '?'}`,
      });
    } else if (event.timerStartedEventAttributes) {
      const a = event.timerStartedEventAttributes;
      const timeout = protoMs(a.startToFireTimeout);
      timers.set(
        a.timerId ?? '',
        add(event, {
          kind: 'timer',
          name: `timer ${a.timerId ?? ''}`,
          outcome: 'running',
          detail: timeout === undefined ? undefined : `${timeout}ms`,
        }),
      );
    } else if (event.timerFiredEventAttributes || event.timerCanceledEventAttributes) {
      const entry = timers.get((event.timerFiredEventAttributes ?? event.timerCanceledEventAttributes)!.timerId ?? '');
      if (!entry) continue;
      entry.outcome = event.timerFiredEventAttributes ? 'fired' : 'canceled';
      entry.durationMs = since(entry, event);
    } else if (event.upsertWorkflowSearchAttributesEventAttributes) {
      const fields = event.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields ?? {};
      const set = payloadValue(fields.BridgeStatus);
      if (typeof set === 'string') {
        status = set;
        add(event, { kind: 'status', name: set, outcome: 'set' });
      }
    } else if (event.workflowTaskStartedEventAttributes) {
      workflowTime = Math.max(workflowTime, protoMs(event.eventTime) ?? 0);
    } else if (event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER) {
      workflowTime = addLocalActivity(event, add, workflowTime);
    } else if (event.workflowTaskFailedEventAttributes) {
      add(event, {
        kind: 'workflow-task',
        name: 'workflow task',
        outcome: 'failed',
        errors: [failureText(event.workflowTaskFailedEventAttributes.failure) ?? 'failed'],
      });
    } else {
      const derived = event.workflowExecutionCompletedEventAttributes
        ? messageStatusOf({
            workflowType,
            executionStatus: 'COMPLETED',
            status: typeof status === 'string' ? status : undefined,
          })
        : undefined;
      if (derived !== undefined && derived !== status)
        add(event, { kind: 'status', name: derived, outcome: 'set', detail: 'by completing' });
      closeEvent(event, add);
    }
  }
  for (const p of pending) addPending(entries, p);
  return entries;
}

type Add = (
  event: HistoryEvent,
  entry: Omit<TimelineEntry, 'at' | 'errors' | 'eventId'> & { errors?: string[] },
) => TimelineEntry;

const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** What the SDK writes in a local activity's marker. */
interface LocalActivityMarker {
  readonly activity_type?: string;
  readonly attempt?: number;
  readonly original_schedule_time?: { seconds?: number; nanos?: number };
  readonly complete_time?: { seconds?: number; nanos?: number };
}

/**
 * A local activity (store-only steps) leaves one marker, in the workflow task that ran it, instead of three events.
 * Its two times are on different clocks: `complete_time` is the workflow's time when the step was scheduled plus its
 * run time, while `original_schedule_time` is the worker's wall clock, read after the workflow task reached the worker,
 * so their difference runs negative by that delay (sdk-core local_activity_state_machine.rs). The step's run time
 * is measured on the workflow clock instead: the SDK moves it to each task's start and to each local activity's
 * completion, so it is where the step began. Returns the workflow clock after the step.
 */
function addLocalActivity(event: HistoryEvent, add: Add, workflowTime: number): number {
  const marker = event.markerRecordedEventAttributes!;
  const data = payloadValue(marker.details?.data?.payloads?.[0]) as LocalActivityMarker | undefined;
  const completed = protoMs(data?.complete_time);
  const failure = failureText(marker.failure);
  const attempts = data?.attempt ?? 1;
  const lastAttemptMs = completed !== undefined && workflowTime > 0 ? Math.max(0, completed - workflowTime) : undefined;
  // Later attempts wait out a backoff timer: from the first scheduling, the clocks' skew is noise beside it.
  const scheduled = protoMs(data?.original_schedule_time);
  const sinceFirst =
    attempts > 1 && scheduled !== undefined && completed !== undefined ? completed - scheduled : undefined;
  add(event, {
    kind: 'activity',
    name: data?.activity_type ?? 'local activity',
    outcome: failure ? 'failed' : 'completed',
    attempts,
    durationMs: lastAttemptMs === undefined ? undefined : Math.max(lastAttemptMs, sinceFirst ?? 0),
    lastAttemptMs,
    detail: 'local activity',
    errors: failure ? [`attempt ${attempts}: ${failure}`] : [],
    // Re-running the step means re-running the workflow task that ran it.
    scheduledBy: num(marker.workflowTaskCompletedEventId),
  });
  return Math.max(workflowTime, completed ?? 0);
}

function closeEvent(event: HistoryEvent, add: Add): void {
  if (event.workflowExecutionCompletedEventAttributes)
    add(event, { kind: 'workflow', name: 'workflow', outcome: 'completed' });
  else if (event.workflowExecutionFailedEventAttributes)
    add(event, {
      kind: 'workflow',
      name: 'workflow',
      outcome: 'failed',
      errors: [failureText(event.workflowExecutionFailedEventAttributes.failure) ?? 'failed'],
    });
  else if (event.workflowExecutionTimedOutEventAttributes)
    add(event, { kind: 'workflow', name: 'workflow', outcome: 'timed-out' });
  else if (event.workflowExecutionTerminatedEventAttributes)
    add(event, {
      kind: 'workflow',
      name: 'workflow',
      outcome: 'terminated',
      detail: event.workflowExecutionTerminatedEventAttributes.reason ?? undefined,
    });
  else if (event.workflowExecutionCanceledEventAttributes)
    add(event, { kind: 'workflow', name: 'workflow', outcome: 'canceled' });
  else if (event.workflowExecutionContinuedAsNewEventAttributes)
    add(event, { kind: 'workflow', name: 'workflow', outcome: 'continued-as-new' });
}

/** An activity still retrying: the server knows its current attempt and last failure. */
function addPending(entries: TimelineEntry[], pending: PendingActivity): void {
  const entry = entries.find(
    (e) =>
      e.kind === 'activity' &&
      e.detail === `activity id ${pending.activityId}` &&
      (e.outcome === 'scheduled' || e.outcome === 'running'),
  );
  if (!entry) return;
  entry.outcome = 'running';
  entry.attempts = pending.attempt ?? entry.attempts;
  const last = failureText(pending.lastFailure);
  if (last) entry.errors.push(`attempt ${(pending.attempt ?? 2) - 1}: ${last}`);
  // The server's clock against this machine's: a clock behind the server's must not show a negative wait.
  entry.durationMs = Math.max(0, Date.now() - Date.parse(entry.at));
}
