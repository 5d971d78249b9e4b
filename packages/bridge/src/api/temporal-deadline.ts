import type { Client } from '@temporalio/client';

/**
 * How long the api waits for Temporal on a webhook's request path. The client would otherwise retry an unreachable
 * server for about 15 s per call, past the senders' own timeouts (HubSpot 5-10 s); with a deadline a restarting
 * Temporal gets the sender a 503 in time, and the sender retries (found by `npm run chaos`, docs/RELIABILITY.md).
 */
export const TEMPORAL_DEADLINE_MS = 5_000;

/** Runs `fn`'s Temporal calls under one deadline; past it they fail (DEADLINE_EXCEEDED) and the caller answers 503. */
export function withinDeadline<T>(client: Client, fn: () => Promise<T>, ms = TEMPORAL_DEADLINE_MS): Promise<T> {
  return client.connection.withDeadline(Date.now() + ms, fn);
}
