import { createHash } from 'node:crypto';

/**
 * Dead letters: webhook events the bridge verified but could not use (an unknown shape, missing ids), kept with their
 * body so an operator can re-run one once the bridge is fixed (docs/OPERATING.md § Dead letters). The body is customer
 * data (ids, message text): it lives in the store beside the bridge's other message data, and never in a log line.
 */

/** Where a dead letter came from; only HubSpot's webhook dead-letters today. */
export type DeadLetterSource = 'hubspot';

/** What the list shows: everything but the body. */
export interface DeadLetterSummary {
  /** `deadLetterId(source, event)`: the same event delivered twice is one letter. */
  readonly id: string;
  readonly source: DeadLetterSource;
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

/** A dead letter with its body: the event as JSON text, exactly what a replay hands to the webhook's handling. */
export interface DeadLetter extends DeadLetterSummary {
  readonly body: string;
}

export type NewDeadLetter = Omit<DeadLetter, 'bytes' | 'replayAttempts' | 'lastReplayAt'>;

/** Which letters pruning drops: those older than `receivedBefore`, past the newest `keep`, or past `maxBytes` in total. */
export interface DeadLetterLimits {
  readonly keep: number;
  readonly maxBytes: number;
  /** ISO-8601. */
  readonly receivedBefore: string;
}

/**
 * The store's part for dead letters (one table, `dead_letters`). Kept here until the store grows it; the store's
 * implementation satisfies it structurally. Every write is idempotent.
 */
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

/** How many dead letters the bridge keeps, and for how long: a valid signature alone must not fill the disk. */
export interface DeadLetterRetention {
  /** Letters kept, newest first. @default 1000 */
  readonly maxCount: number;
  /** Total body bytes kept, newest first. @default 52428800 (50 MiB) */
  readonly maxBytes: number;
  /** A letter older than this is dropped. @default 1209600000 (14 days) */
  readonly maxAgeMs: number;
}

export const DEFAULT_DEAD_LETTER_RETENTION: DeadLetterRetention = { maxCount: 1000, maxBytes: 50 * 1024 * 1024, maxAgeMs: 14 * 24 * 3_600_000 };

/** A dead letter's id: a digest of where it came from and what it holds, so a redelivery is the same letter. */
export function deadLetterId(source: DeadLetterSource, body: string): string {
  return createHash('sha256').update(`${source}\n${body}`).digest('hex').slice(0, 32);
}

/**
 * The store's dead-letter part, or undefined for a store without one (the body is then only counted and logged by
 * field names, as before dead letters were kept).
 */
export function deadLetterStoreOf(store: object): DeadLetterStore | undefined {
  const part = store as Partial<Record<keyof DeadLetterStore, unknown>>;
  const methods: (keyof DeadLetterStore)[] = ['saveDeadLetter', 'pruneDeadLetters', 'listDeadLetters', 'getDeadLetter', 'noteDeadLetterReplayFailed', 'deleteDeadLetter'];
  return methods.every((m) => typeof part[m] === 'function') ? (store as DeadLetterStore) : undefined;
}

/** Applies the retention at `nowMs`. */
export function pruneDeadLetters(store: DeadLetterStore, retention: DeadLetterRetention, nowMs: number): Promise<number> {
  return store.pruneDeadLetters({ keep: retention.maxCount, maxBytes: retention.maxBytes, receivedBefore: new Date(nowMs - retention.maxAgeMs).toISOString() });
}
