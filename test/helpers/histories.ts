/**
 * Reading a recorded workflow history (the Temporal CLI's `workflow show --output json`, the fixtures' format) and
 * checking it against what its recording was meant to show. Pure: no Temporal, no I/O. Used by
 * scripts/record-histories.ts (which refuses a run that did not end as expected) and test/workflows/replay.test.ts.
 */

/** One event as the CLI prints it: the type, and one `<kind>EventAttributes` object. Loosely typed on purpose. */
export interface HistoryEvent {
  readonly eventId: string;
  readonly eventType: string;
  readonly [attributes: string]: unknown;
}

export interface HistoryJson {
  readonly events: readonly HistoryEvent[];
}

interface Payload {
  readonly metadata?: { readonly encoding?: string };
  readonly data?: string;
}

interface Failure {
  readonly message?: string;
  readonly cause?: Failure;
}

/** How a run ended, read from its last event; RUNNING when the recording stopped before the run closed. */
export type Outcome =
  | { readonly status: 'COMPLETED'; readonly result: unknown }
  | { readonly status: 'FAILED'; readonly failure: string }
  | { readonly status: 'RUNNING' | 'CONTINUED_AS_NEW' | 'TIMED_OUT' | 'TERMINATED' | 'CANCELED' };

/**
 * A JSON value to match; a RegExp matches a string. Objects match on exactly the keys listed, arrays element by
 * element.
 */
export type Pattern =
  string | number | boolean | null | RegExp | readonly Pattern[] | { readonly [key: string]: Pattern };

/** Something the recording's history must (or must not) show besides its outcome. */
export type HistoryCheck =
  /** A `core_patch` marker for this patch id: the run took the path behind `patched(id)`. */
  | { readonly marker: string }
  /** No marker for this patch id: the run is of the shape from before the patch. */
  | { readonly noMarker: string }
  /** At least one signal of this name reached the run. */
  | { readonly signal: string }
  /** The run started at least one timer (`sleep`, or `condition` with a timeout). */
  | { readonly timer: true }
  /** The activity ran (scheduled as a task, or as a local activity), its last try at least `attempt`. */
  | { readonly activity: string; readonly attempt?: number }
  /** The activity never ran. */
  | { readonly noActivity: string }
  /** The run upserted no search attribute (each upsert is a history event and a visibility write). */
  | { readonly noUpsert: true }
  /** The history has exactly this many events. */
  | { readonly events: number };

/** What a recorded run must have ended as, stated beside the case that records it. */
export type Expectation =
  | { readonly status: 'COMPLETED'; readonly result: Pattern; readonly history?: readonly HistoryCheck[] }
  | { readonly status: 'FAILED'; readonly failure: RegExp; readonly history?: readonly HistoryCheck[] }
  /** A long wait handed over to a fresh run: the fixture is the run that handed over. */
  | { readonly status: 'CONTINUED_AS_NEW'; readonly history?: readonly HistoryCheck[] };

const CLOSE_EVENTS: Readonly<Record<string, Exclude<Outcome['status'], 'COMPLETED' | 'FAILED'>>> = {
  EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW: 'CONTINUED_AS_NEW',
  EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT: 'TIMED_OUT',
  EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED: 'TERMINATED',
  EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED: 'CANCELED',
};

const attributes = (event: HistoryEvent, kind: string) =>
  (event[`${kind}EventAttributes`] ?? {}) as Record<string, unknown>;

/** A `json/plain` payload's value; a payload in another encoding as its raw text. */
export function decodePayload(payload: Payload | undefined): unknown {
  if (!payload?.data) return undefined;
  const text = Buffer.from(payload.data, 'base64').toString('utf8');
  const encoding = payload.metadata?.encoding ? Buffer.from(payload.metadata.encoding, 'base64').toString('utf8') : '';
  return encoding === 'json/plain' ? JSON.parse(text) : text;
}

/** A failure and its causes, outermost first: "Activity task failed: the worker has no …". */
export function failureText(failure: Failure | undefined): string {
  const messages: string[] = [];
  for (let f = failure; f; f = f.cause) if (f.message) messages.push(f.message);
  return messages.join(': ');
}

export function outcomeOf(history: HistoryJson): Outcome {
  const last = history.events.at(-1);
  if (last?.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED') {
    const result = attributes(last, 'workflowExecutionCompleted').result as { payloads?: Payload[] } | undefined;
    return { status: 'COMPLETED', result: decodePayload(result?.payloads?.[0]) ?? null };
  }
  if (last?.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED') {
    return { status: 'FAILED', failure: failureText(attributes(last, 'workflowExecutionFailed').failure as Failure) };
  }
  return { status: (last && CLOSE_EVENTS[last.eventType]) ?? 'RUNNING' };
}

/**
 * The patch ids of the run's `core_patch` markers, in order. The SDK core writes one `MARKER_RECORDED` event per patch
 * the first time `patched(id)` runs, its details under `patch-data` as a JSON payload `{ id, deprecated }` (and it
 * upserts `TemporalChangeVersion`); very old markers carried `patch_id` as plain bytes.
 */
export function patchMarkers(history: HistoryJson): string[] {
  return history.events.flatMap((event) => {
    if (event.eventType !== 'EVENT_TYPE_MARKER_RECORDED') return [];
    const marker = attributes(event, 'markerRecorded') as {
      markerName?: string;
      details?: Record<string, { payloads?: Payload[] }>;
    };
    if (marker.markerName !== 'core_patch') return [];
    const data = decodePayload(marker.details?.['patch-data']?.payloads?.[0]) as { id?: string } | undefined;
    const id = data?.id ?? (decodePayload(marker.details?.patch_id?.payloads?.[0]) as string | undefined);
    return id ? [id] : [];
  });
}

export function signalNames(history: HistoryJson): string[] {
  return history.events
    .filter((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED')
    .map((e) => String(attributes(e, 'workflowExecutionSignaled').signalName));
}

export const upsertCount = (history: HistoryJson) =>
  history.events.filter((e) => e.eventType === 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES').length;

export const timerCount = (history: HistoryJson) =>
  history.events.filter((e) => e.eventType === 'EVENT_TYPE_TIMER_STARTED').length;

/**
 * Each activity the run tried, with the attempt number of its last try (task activities and local activities alike).
 */
export function activityAttempts(history: HistoryJson): Map<string, number> {
  const types = new Map<string, string>();
  const attempts = new Map<string, number>();
  const note = (type: string, attempt: number) => attempts.set(type, Math.max(attempts.get(type) ?? 0, attempt));
  for (const event of history.events) {
    if (event.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED') {
      const type = (attributes(event, 'activityTaskScheduled').activityType as { name: string }).name;
      types.set(event.eventId, type);
      note(type, 0);
    } else if (event.eventType === 'EVENT_TYPE_ACTIVITY_TASK_STARTED') {
      const started = attributes(event, 'activityTaskStarted') as { scheduledEventId: string; attempt?: number };
      const type = types.get(started.scheduledEventId);
      if (type) note(type, started.attempt ?? 1);
    } else if (event.eventType === 'EVENT_TYPE_MARKER_RECORDED') {
      const marker = attributes(event, 'markerRecorded') as {
        markerName?: string;
        details?: Record<string, { payloads?: Payload[] }>;
      };
      if (marker.markerName !== 'core_local_activity') continue;
      const data = decodePayload(marker.details?.data?.payloads?.[0]) as
        { activity_type?: string; attempt?: number } | undefined;
      if (data?.activity_type) note(data.activity_type, data.attempt ?? 1);
    }
  }
  return attempts;
}

/** A pattern as a reader would write it: `{ status: 'READ' }`, `/dance\.gif/`. */
export function showPattern(pattern: Pattern): string {
  if (pattern instanceof RegExp) return String(pattern);
  if (typeof pattern === 'string') return `'${pattern}'`;
  if (Array.isArray(pattern)) return `[${pattern.map(showPattern).join(', ')}]`;
  if (pattern !== null && typeof pattern === 'object') {
    return `{ ${Object.entries(pattern)
      .map(([k, v]) => `${k}: ${showPattern(v)}`)
      .join(', ')} }`;
  }
  return String(pattern);
}

export function matches(pattern: Pattern, actual: unknown): boolean {
  if (pattern instanceof RegExp) return typeof actual === 'string' && pattern.test(actual);
  if (Array.isArray(pattern))
    return Array.isArray(actual) && actual.length === pattern.length && pattern.every((p, i) => matches(p, actual[i]));
  if (pattern !== null && typeof pattern === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const keys = Object.keys(pattern);
    const record = actual as Record<string, unknown>;
    return (
      Object.keys(record).length === keys.length &&
      keys.every((k) => k in record && matches((pattern as Record<string, Pattern>)[k]!, record[k]))
    );
  }
  return pattern === actual;
}

export function describeCheck(check: HistoryCheck): string {
  if ('marker' in check) return `has a marker for patch ${check.marker}`;
  if ('noMarker' in check) return `has no marker for patch ${check.noMarker}`;
  if ('signal' in check) return `was signalled ${check.signal}`;
  if ('timer' in check) return 'started a timer';
  if ('noActivity' in check) return `never ran ${check.noActivity}`;
  if ('noUpsert' in check) return 'upserted no search attribute';
  if ('events' in check) return `has ${check.events} events`;
  return `ran ${check.activity}${check.attempt ? ` (try ${check.attempt} or later)` : ''}`;
}

export function describeExpectation(expected: Expectation): string {
  const end =
    expected.status === 'COMPLETED'
      ? `COMPLETED with result ${showPattern(expected.result)}`
      : expected.status === 'FAILED'
        ? `FAILED with ${showPattern(expected.failure)}`
        : expected.status;
  return [end, ...(expected.history ?? []).map(describeCheck)].join('; ');
}

export function describeOutcome(outcome: Outcome): string {
  if (outcome.status === 'COMPLETED') return `COMPLETED with result ${JSON.stringify(outcome.result)}`;
  if (outcome.status === 'FAILED') return `FAILED: ${outcome.failure}`;
  return outcome.status === 'RUNNING' ? 'still RUNNING when recorded' : outcome.status;
}

function checkHistory(check: HistoryCheck, history: HistoryJson): boolean {
  if ('marker' in check) return patchMarkers(history).includes(check.marker);
  if ('noMarker' in check) return !patchMarkers(history).includes(check.noMarker);
  if ('signal' in check) return signalNames(history).includes(check.signal);
  if ('timer' in check) return timerCount(history) > 0;
  if ('noActivity' in check) return !activityAttempts(history).has(check.noActivity);
  if ('noUpsert' in check) return upsertCount(history) === 0;
  if ('events' in check) return history.events.length === check.events;
  const attempt = activityAttempts(history).get(check.activity);
  return attempt !== undefined && attempt >= (check.attempt ?? 0);
}

/** Everything about the run that differs from what was expected; empty when the recording shows what it should. */
export function checkRecording(expected: Expectation, history: HistoryJson): string[] {
  const outcome = outcomeOf(history);
  const problems: string[] = [];
  if (outcome.status !== expected.status) problems.push(`ended ${outcome.status}, expected ${expected.status}`);
  else if (
    outcome.status === 'COMPLETED' &&
    expected.status === 'COMPLETED' &&
    !matches(expected.result, outcome.result)
  ) {
    problems.push(`its result ${JSON.stringify(outcome.result)} does not match ${showPattern(expected.result)}`);
  } else if (outcome.status === 'FAILED' && expected.status === 'FAILED' && !expected.failure.test(outcome.failure)) {
    problems.push(`its failure "${outcome.failure}" does not match ${showPattern(expected.failure)}`);
  }
  for (const check of expected.history ?? [])
    if (!checkHistory(check, history)) problems.push(`not true of its history: ${describeCheck(check)}`);
  return problems;
}

/** The script's refusal, or undefined when the recording may be saved. */
export function refusal(fixture: string, expected: Expectation, history: HistoryJson): string | undefined {
  const problems = checkRecording(expected, history);
  if (problems.length === 0) return undefined;
  return [
    `refused to save ${fixture}: the run did not end as its case expects`,
    `  expected: ${describeExpectation(expected)}`,
    `  happened: ${describeOutcome(outcomeOf(history))}`,
    ...problems.map((p) => `  - ${p}`),
    `  ${fixture} on disk is left as it was.`,
  ].join('\n');
}
