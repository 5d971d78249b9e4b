import { Pool } from 'undici';

/** One request the generator sends: made at its send time, so signatures carry a fresh timestamp. */
export interface PlannedRequest {
  /** The bench's own id for the message, to match it with what the sandboxes record later. */
  readonly id: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The conversation it belongs to, where the bench checks per-conversation order. */
  readonly thread?: string;
}

export interface RequestRecord {
  readonly id: string;
  /** When the fixed rate says it was due (ms since the epoch). Latency counts from here (no coordinated omission). */
  readonly dueAt: number;
  /** When the generator actually handed it to the socket pool. */
  readonly sentAt: number;
  readonly doneAt: number;
  /** HTTP status, or 0 for a network error or a request the generator had to skip. */
  readonly status: number;
  /** The key from the answer (`keyOf`; by default the bridge's message key, `accepted[0].workflowId`). */
  readonly workflowId?: string;
  readonly error?: string;
  readonly thread?: string;
  /** The answer's Retry-After header, where it had one (a 503 or 429 that asks the sender to come back). */
  readonly retryAfter?: string;
}

export interface OpenLoopOptions {
  readonly origin: string;
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly make: (index: number) => PlannedRequest;
  /** Sockets to the target. @default 256 */
  readonly connections?: number;
  /** Past this many unanswered requests, a due request is skipped and recorded as failed. @default 5000 */
  readonly maxInFlight?: number;
  /** A request not answered in this time counts as failed. @default 30 s */
  readonly timeoutMs?: number;
  /** The key to follow the request by, from its answer. @default `accepted[0].workflowId` or `workflowId` */
  readonly keyOf?: (answer: unknown) => string | undefined;
}

export interface OpenLoopResult {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly records: RequestRecord[];
  /** The generator's worst lag behind the schedule, ms: a large value means the bench itself was starved of CPU. */
  readonly maxSendLagMs: number;
}

const nowMs = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An open-loop load: request i is due at start + i / rate whatever happened to earlier ones, so a slow
 * server sees the load a real sender would keep sending (autocannon and most closed-loop tools wait for
 * answers, which hides queueing). Bounded in count and time, loopback only, and stops by itself.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const url = new URL(options.origin);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    throw new Error(`the load generator targets loopback only, not ${url.hostname}`);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pool = new Pool(options.origin, {
    connections: options.connections ?? 256,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 30_000,
  });
  const total = Math.round((options.ratePerSecond * options.durationMs) / 1000);
  const intervalMs = 1000 / options.ratePerSecond;
  const maxInFlight = options.maxInFlight ?? 5000;
  const keyOf = options.keyOf ?? workflowIdOf;
  const records: RequestRecord[] = [];
  const pending: Promise<void>[] = [];
  let inFlight = 0;
  let maxSendLagMs = 0;

  const send = async (index: number, dueAt: number) => {
    const planned = options.make(index);
    const sentAt = nowMs();
    maxSendLagMs = Math.max(maxSendLagMs, sentAt - dueAt);
    if (inFlight >= maxInFlight) {
      records.push({
        id: planned.id,
        dueAt,
        sentAt,
        doneAt: sentAt,
        status: 0,
        error: 'skipped: too many requests in flight',
      });
      return;
    }
    inFlight += 1;
    try {
      const res = await pool.request({
        method: 'POST',
        path: planned.path,
        headers: planned.headers,
        body: planned.body,
      });
      const text = await res.body.text();
      const retryAfter = res.headers['retry-after'];
      records.push({
        id: planned.id,
        dueAt,
        sentAt,
        doneAt: nowMs(),
        status: res.statusCode,
        workflowId: keyFrom(text, keyOf),
        ...(res.statusCode >= 400 ? { error: text.slice(0, 200) } : {}),
        ...(planned.thread ? { thread: planned.thread } : {}),
        ...(retryAfter ? { retryAfter: String(retryAfter) } : {}),
      });
    } catch (error) {
      records.push({
        id: planned.id,
        dueAt,
        sentAt,
        doneAt: nowMs(),
        status: 0,
        error: (error as Error).message,
        ...(planned.thread ? { thread: planned.thread } : {}),
      });
    } finally {
      inFlight -= 1;
    }
  };

  const startedAt = nowMs();
  let next = 0;
  while (next < total) {
    const now = nowMs();
    while (next < total && startedAt + next * intervalMs <= now) {
      pending.push(send(next, startedAt + next * intervalMs));
      next += 1;
    }
    if (next < total) await sleep(Math.max(0, startedAt + next * intervalMs - nowMs()));
  }
  await Promise.all(pending);
  const endedAt = nowMs();
  await pool.close();
  records.sort((a, b) => a.dueAt - b.dueAt);
  return { startedAt, endedAt, records, maxSendLagMs };
}

function keyFrom(text: string, keyOf: (answer: unknown) => string | undefined): string | undefined {
  try {
    return keyOf(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function workflowIdOf(answer: unknown): string | undefined {
  const body = answer as { accepted?: { workflowId?: unknown }[]; workflowId?: unknown };
  const id = body.accepted?.[0]?.workflowId ?? body.workflowId;
  return typeof id === 'string' ? id : undefined;
}
