import { createHash } from 'node:crypto';
import type { DeadLetterStore, DeadLetterSummary } from '../store/types.js';

/**
 * Dead letters: webhook events the bridge verified but could not use (an unknown shape, missing ids), kept with their
 * body so an operator can re-run one once the bridge is fixed (docs/OPERATING.md § Dead letters). The body is customer
 * data (ids, message text): it lives in the store beside the bridge's other message data, and never in a log line.
 */

export type {
  DeadLetter,
  DeadLetterLimits,
  DeadLetterStore,
  DeadLetterSummary,
  NewDeadLetter,
} from '../store/types.js';

/** Where a dead letter came from; only HubSpot's webhook dead-letters today. */
export type DeadLetterSource = DeadLetterSummary['source'];

/** How many dead letters the bridge keeps, and for how long: a valid signature alone must not fill the disk. */
export interface DeadLetterRetention {
  /** Letters kept, newest first. @default 1000 */
  readonly maxCount: number;
  /** Total body bytes kept, newest first. @default 52428800 (50 MiB) */
  readonly maxBytes: number;
  /** A letter older than this is dropped. @default 1209600000 (14 days) */
  readonly maxAgeMs: number;
}

export const DEFAULT_DEAD_LETTER_RETENTION: DeadLetterRetention = {
  maxCount: 1000,
  maxBytes: 50 * 1024 * 1024,
  maxAgeMs: 14 * 24 * 3_600_000,
};

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
  const methods: (keyof DeadLetterStore)[] = [
    'saveDeadLetter',
    'pruneDeadLetters',
    'listDeadLetters',
    'getDeadLetter',
    'noteDeadLetterReplayFailed',
    'deleteDeadLetter',
  ];
  return methods.every((m) => typeof part[m] === 'function') ? (store as DeadLetterStore) : undefined;
}

/** Applies the retention at `nowMs`. */
export function pruneDeadLetters(
  store: DeadLetterStore,
  retention: DeadLetterRetention,
  nowMs: number,
): Promise<number> {
  return store.pruneDeadLetters({
    keep: retention.maxCount,
    maxBytes: retention.maxBytes,
    receivedBefore: new Date(nowMs - retention.maxAgeMs).toISOString(),
  });
}
