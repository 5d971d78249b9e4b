import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import { Runtime, type LogLevel, type LogMetadata } from '@temporalio/worker';
import type { AccountWithCredentials } from '../../../packages/bridge/src/store/types.js';
import type { ConnectWorld } from '../../helpers/connect.js';
import { waitFor } from '../../helpers/temporal.js';

let workerLogs: string[] | undefined;
/**
 * Everything the worker, its workflows and activities log goes through the Runtime's logger (installed by
 * the test helpers at WARN): capture every call at every level, before the level filter drops any.
 */
export function captureWorkerLogs(): string[] {
  if (workerLogs) return workerLogs;
  const logs: string[] = (workerLogs = []);
  const runtimeLogger = Runtime.instance().logger as {
    log: (level: LogLevel, message: string, meta?: LogMetadata) => unknown;
  };
  const forward = runtimeLogger.log.bind(runtimeLogger);
  runtimeLogger.log = (level, message, meta) => {
    logs.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`);
    return forward(level, message, meta);
  };
  return logs;
}

/** Every string and every byte array (payloads are JSON bytes) in a value, as text to search. */
export function readable(value: unknown, out: string[] = []): string {
  if (typeof value === 'string') out.push(value);
  else if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (Array.isArray(value)) value.forEach((v) => readable(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => readable(v, out));
  return out.join('\n');
}

/** Every workflow history of a task queue, payloads decoded, one text per workflow. */
export async function histories(client: Client, taskQueue: string): Promise<string[]> {
  const texts: string[] = [];
  for await (const execution of client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) {
    texts.push(readable(await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory()));
  }
  return texts;
}

/** Installs the app through OAuth as a browser would. */
export async function installApp(world: ConnectWorld): Promise<void> {
  const start = await fetch(`${world.apiUrl}/oauth/install`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location')!);
  const form = new URLSearchParams({ portalId: world.portal.portalId });
  for (const key of ['client_id', 'redirect_uri', 'scope', 'state'])
    form.set(key, authorize.searchParams.get(key) ?? '');
  const decided = await fetch(`${world.hubspotUrl}/oauth/authorize`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  assert.equal((await fetch(decided.headers.get('location')!)).status, 200);
}

/**
 * Connects one provider account through the connection page and HubSpot's finish step; resolves with the stored account
 * and the page.
 */
export async function connectThroughPage(
  world: ConnectWorld,
  fields: Record<string, string>,
): Promise<{ account: AccountWithCredentials; html: string }> {
  const started = await world.startConnect();
  const page = await world.submitConnect(started, fields);
  assert.equal(page.status, 200, page.html);
  const res = await world.sandboxAdmin('POST', `/connect/${started.accountToken}/finish`);
  const id = ((await res.json()) as { id: string }).id;
  return { account: await waitFor(() => world.store.getAccount(id), 30_000, `account ${id}`), html: page.html };
}

/** Fails naming the secret and where it was found; the haystacks must be real (non-empty) to prove anything. */
export function assertNoSecret(haystacks: Record<string, string>, secrets: Record<string, string>): void {
  for (const [name, value] of Object.entries(secrets))
    assert.ok(value && value.length >= 8, `${name} is known to the test`);
  for (const [where, text] of Object.entries(haystacks)) {
    assert.ok(text.length > 0, `${where} is empty: nothing was scanned`);
    for (const [name, value] of Object.entries(secrets))
      assert.ok(!text.includes(value), `the ${name} appears in the ${where}`);
  }
}
