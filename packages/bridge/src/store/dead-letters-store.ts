/** What the list shows: everything but the body. */
export interface DeadLetterSummary {
  /** A digest of the source and the body (src/api/dead-letters.ts): the same event delivered twice is one letter. */
  readonly id: string;
  /** Where it came from; only HubSpot's webhook dead-letters today. */
  readonly source: 'hubspot';
  /** A type the bridge knows, or 'unusable' (the metric's label). */
  readonly type: string;
  /** The type the event named, cut to 100 characters, when it named one. */
  readonly receivedType?: string;
  /** The event's own `eventId`, when it had one. */
  readonly eventId?: string;
  /** Why the bridge could not use it, from the last try (the webhook or a replay). */
  readonly reason: string;
  /** ISO-8601 time the webhook brought it. */
  readonly receivedAt: string;
  /** The body's size in UTF-8 bytes. */
  readonly bytes: number;
  /** Replays tried so far, each of which found it unusable again. */
  readonly replayAttempts: number;
  /** ISO-8601 time of the last replay that failed. */
  readonly lastReplayAt?: string;
}

/** A dead letter with its body: the event as JSON text (customer data: ids, message text). */
export interface DeadLetter extends DeadLetterSummary {
  readonly body: string;
}

export type NewDeadLetter = Omit<DeadLetter, 'bytes' | 'replayAttempts' | 'lastReplayAt'>;

/**
 * Which letters pruning drops: those received before `receivedBefore`, past the newest `keep`, or past `maxBytes` in
 * total.
 */
export interface DeadLetterLimits {
  readonly keep: number;
  readonly maxBytes: number;
  /** ISO-8601. */
  readonly receivedBefore: string;
}

/** Webhook events the bridge could not use, kept for a replay (docs/OPERATING.md § Dead letters). */
export interface DeadLetterStore {
  /** Keeps a letter; a second call with the same id keeps the first row as it is. */
  saveDeadLetter(letter: NewDeadLetter): Promise<void>;
  /** Drops every letter past one of the limits; returns how many went. */
  pruneDeadLetters(limits: DeadLetterLimits): Promise<number>;
  /** Newest first, at most `limit`. */
  listDeadLetters(limit: number): Promise<DeadLetterSummary[]>;
  getDeadLetter(id: string): Promise<DeadLetter | undefined>;
  /** A replay found the letter unusable again: its new reason, one more attempt, at `at` (ISO-8601). */
  noteDeadLetterReplayFailed(id: string, reason: string, at: string): Promise<void>;
  /** Removes a letter (replayed, or discarded by an operator); false when there was none. */
  deleteDeadLetter(id: string): Promise<boolean>;
}

export interface DeadLetterRow {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly received_type: string | null;
  readonly event_id: string | null;
  readonly reason: string;
  readonly body?: string;
  readonly body_bytes: number;
  readonly received_at: string;
  readonly replay_attempts: number;
  readonly last_replay_at: string | null;
}

export const SUMMARY_COLUMNS =
  'id, source, type, received_type, event_id, reason, body_bytes, received_at, replay_attempts, last_replay_at';

/**
 * Newest first; the window sums run over that order, so the oldest go first. Placeholders: keep, maxBytes,
 * receivedBefore.
 */
export const pruneSql = (p: readonly [string, string, string]) => `
  DELETE FROM dead_letters WHERE id IN (
    SELECT id FROM (
      SELECT id, received_at,
        ROW_NUMBER() OVER (ORDER BY received_at DESC, id DESC) AS n,
        SUM(body_bytes) OVER (ORDER BY received_at DESC, id DESC ROWS UNBOUNDED PRECEDING) AS total
      FROM dead_letters
    ) ranked
    WHERE n > ${p[0]} OR total > ${p[1]} OR received_at < ${p[2]}
  )`;

export function summaryFromRow(row: DeadLetterRow): DeadLetterSummary {
  return {
    id: row.id,
    source: row.source as DeadLetterSummary['source'],
    type: row.type,
    ...(row.received_type !== null ? { receivedType: row.received_type } : {}),
    ...(row.event_id !== null ? { eventId: row.event_id } : {}),
    reason: row.reason,
    receivedAt: row.received_at,
    bytes: Number(row.body_bytes),
    replayAttempts: Number(row.replay_attempts),
    ...(row.last_replay_at !== null ? { lastReplayAt: row.last_replay_at } : {}),
  };
}

export const insertValues = (letter: NewDeadLetter) =>
  [
    letter.id,
    letter.source,
    letter.type,
    letter.receivedType ?? null,
    letter.eventId ?? null,
    letter.reason,
    letter.body,
    Buffer.byteLength(letter.body),
    letter.receivedAt,
  ] as const;
