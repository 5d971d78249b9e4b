import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createLogger } from '../../packages/bridge/src/logger.js';
import { installTemporalRuntime } from '../../packages/bridge/src/temporal/runtime.js';

// Worker chatter would drown the test report; warnings still show.
installTemporalRuntime(createLogger('test-worker', 'warn'), 'WARN');

/** The shared dev server scripts/test.ts started for this run. */
export function temporalAddress(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address)
    throw new Error('TEMPORAL_ADDRESS is not set: run the suite with `npm test`, which starts the dev server');
  return address;
}

export async function connectClient(): Promise<{ client: Client; connection: Connection; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: temporalAddress() });
  return { client: new Client({ connection }), connection, close: () => connection.close() };
}

export function connectWorker(): Promise<NativeConnection> {
  return NativeConnection.connect({ address: temporalAddress() });
}

/** Polls until `probe` returns a value other than undefined; bounded so a broken test fails instead of hanging. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
