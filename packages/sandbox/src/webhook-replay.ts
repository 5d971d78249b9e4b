/**
 * Webhook storms for the provider emulators: real senders redeliver what was already acknowledged (a lost answer,
 * a retry after a timeout) and deliver concurrently, so copies arrive duplicated and out of order. A replay sends
 * each of the `recent` last deliveries `times` more times, all shuffled, `concurrency` at a time.
 */
export interface ReplayRequest {
  /** How many of the latest delivered webhooks to replay. */
  readonly recent: number;
  /** Copies of each. */
  readonly times: number;
  /** Requests in flight at once. @default 8 */
  readonly concurrency?: number;
}

export interface ReplaySummary {
  readonly replayed: number;
  /** What the receiver answered: HTTP status, or the connection error, with how many times. */
  readonly answers: Record<string, number>;
}

const MAX_COPIES = 100_000;

/** Checks a control request's body; throws a message for a 400. */
export function replayRequestOf(body: unknown): ReplayRequest {
  const b = (body ?? {}) as Record<string, unknown>;
  const int = (v: unknown, fallback?: number) =>
    v === undefined ? fallback : Number.isInteger(v) && (v as number) > 0 ? (v as number) : NaN;
  const request = { recent: int(b.recent), times: int(b.times, 1), concurrency: int(b.concurrency, 8) };
  if (!request.recent || !request.times || !request.concurrency)
    throw new Error('recent, times (default 1) and concurrency (default 8) must be positive whole numbers');
  if (request.recent * request.times > MAX_COPIES) throw new Error(`at most ${MAX_COPIES} copies per replay`);
  return request as ReplayRequest;
}

/** Fisher-Yates over `times` copies of `items`. */
export function shuffledCopies<T>(items: readonly T[], times: number): T[] {
  const copies = Array.from({ length: times }, () => items).flat();
  for (let i = copies.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copies[i], copies[j]] = [copies[j]!, copies[i]!];
  }
  return copies;
}

/** Sends every copy once through `send` (one attempt each: a storm is extra copies, not deliveries to retry). */
export async function replayStorm<T>(
  items: readonly T[],
  request: ReplayRequest,
  send: (item: T) => Promise<string>,
): Promise<ReplaySummary> {
  const queue = shuffledCopies(items.slice(-request.recent), request.times);
  const answers: Record<string, number> = {};
  const replayed = queue.length;
  const worker = async () => {
    for (let item = queue.pop(); item !== undefined; item = queue.pop()) {
      const answer = await send(item).catch((error: Error) => error.message);
      answers[answer] = (answers[answer] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: request.concurrency ?? 8 }, worker));
  return { replayed, answers };
}

/**
 * Webhook retry settings from `{prefix}_MAX_ATTEMPTS`, `_BASE_DELAY_MS` and `_MAX_DELAY_MS`, for the emulators'
 * entrypoints.
 */
export function webhookRetryFromEnv(
  env: NodeJS.ProcessEnv,
  prefix: string,
): { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number } {
  const read = (name: string) => {
    const raw = env[`${prefix}_${name}`];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${prefix}_${name} must be a positive whole number, not "${raw}"`);
    return value;
  };
  const settings = {
    maxAttempts: read('MAX_ATTEMPTS'),
    baseDelayMs: read('BASE_DELAY_MS'),
    maxDelayMs: read('MAX_DELAY_MS'),
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}
