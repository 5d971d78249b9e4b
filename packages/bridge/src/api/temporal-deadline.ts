import type { Client } from '@temporalio/client';
import { settleWithin } from '../net/settle-within.js';

/**
 * How long the api waits for Temporal on a webhook's request path. The client would otherwise retry an unreachable
 * server for about 15 s per call, past the senders' own timeouts (HubSpot 5-10 s); with a deadline a restarting
 * Temporal gets the sender a 503 in time, and the sender retries (found by `npm run chaos`, docs/RELIABILITY.md).
 */
export const TEMPORAL_DEADLINE_MS = 5_000;

/**
 * Runs `fn`'s Temporal calls under one deadline; past it they fail and the caller answers 503. The gRPC deadline alone
 * is not a bound on the wait: the client's retry interceptor sleeps its backoff (up to 5 s, with jitter) without
 * looking at the deadline, so an unreachable server was answered after 6-9 s. The timer ends the wait at the deadline;
 * the call it leaves behind cannot succeed after it, since every attempt carries the same gRPC deadline.
 */
export async function withinDeadline<T>(client: Client, fn: () => Promise<T>, ms = TEMPORAL_DEADLINE_MS): Promise<T> {
  return settleWithin(
    client.connection.withDeadline(Date.now() + ms, fn),
    ms,
    () => new Error(`the workflow engine did not answer within ${ms} ms`),
  );
}
