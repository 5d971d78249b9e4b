/**
 * `npm run record-histories`: runs each workflow type for real (sandbox HubSpot, SQLite store, the real
 * worker) against a Temporal dev server and writes each history to test/fixtures/histories/<type>-<case>.json.
 * test/workflows/replay.test.ts replays them against the current code, so a change that would break running
 * workflows fails `npm test`. Re-record only when such a change is intentional and no workflow of the old
 * shape is still running (docs/OPERATING.md). Uses TEMPORAL_ADDRESS if set, else starts its own dev server.
 * Extra args: only the cases whose file name contains one of them.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { bundleWorkflows } from '../src/temporal/bundle.js';
import { freePort, provisionTemporalCli, startTemporalDevServer, type DevServer } from '../src/local/temporal-dev-server.js';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'test/fixtures/histories');
const filters = process.argv.slice(2);

const cliPath = process.env.TEMPORAL_CLI_PATH ?? (await provisionTemporalCli());
let server: DevServer | undefined;
if (!process.env.TEMPORAL_ADDRESS) {
  fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(root, '.tmp', 'record-'));
  server = await startTemporalDevServer({ cliPath, port: await freePort(), dbFile: path.join(tmp, 'temporal.sqlite'), logFile: path.join(tmp, 'temporal.log') });
  process.env.TEMPORAL_ADDRESS = server.address;
}
if (!process.env.WORKFLOW_BUNDLE_PATH) {
  const bundlePath = path.join(root, '.tmp', `record-bundle-${process.pid}.js`);
  fs.mkdirSync(path.dirname(bundlePath), { recursive: true });
  fs.writeFileSync(bundlePath, (await bundleWorkflows()).code);
  process.env.WORKFLOW_BUNDLE_PATH = bundlePath;
}

// After the env is set: the helpers read TEMPORAL_ADDRESS when they connect.
const { connectAccount, startTestBridge } = await import('../test/helpers/bridge.js');
const { GENERIC_SECRET, startGenericEmulator } = await import('../test/helpers/generic-emulator.js');
const { openThread, replyAsRep } = await import('../test/helpers/outbound-world.js');
const { messageCreated, signedGenericRequest } = await import('../test/helpers/generic-sender.js');
const { addFault } = await import('../src/sandbox/hubspot/faults.js');
const { startOutboundWorkflow } = await import('../src/api/start-outbound.js');
const { accountEventSignal, accountWorkflowId } = await import('../src/workflows/account-signals.js');
const { DEFAULT_OUTBOUND_POLICY } = await import('../src/domain/outbound.js');
type Bridge = Awaited<ReturnType<typeof startTestBridge>>;

/** Waits for the run to close, or records it as it stands after `ms` (a partial history replays just as well). */
async function settle(handle: WorkflowHandle, ms = 20_000): Promise<void> {
  // A workflow started by a webhook (outbound) may not exist yet.
  const deadline = Date.now() + ms;
  while (!(await handle.describe().then(() => true, () => false))) {
    if (Date.now() > deadline) throw new Error(`${handle.workflowId} did not start within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await Promise.race([handle.result().catch(() => undefined), new Promise((r) => setTimeout(r, Math.max(1_000, deadline - Date.now())))]);
}

async function sendGeneric(bridge: Bridge, threadKey: string): Promise<string> {
  const payload = messageCreated({ threadKey });
  const request = signedGenericRequest(bridge.signingSecret, payload);
  const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, { method: 'POST', headers: request.headers, body: request.body });
  if (res.status !== 200) throw new Error(`the api refused the webhook: ${res.status} ${await res.text()}`);
  return `inbound:${bridge.account.accountId}:${payload.data.messageId}`;
}

interface Case {
  readonly file: string;
  /** How long to wait for the run to close before recording it as it stands. @default 20 s */
  readonly settleMs?: number;
  /** Drives the system; returns the workflow whose history is the fixture. */
  run(bridge: Bridge, client: Client): Promise<string>;
}

const cases: Case[] = [
  { file: 'inboundMessageWorkflow-published', run: (b) => sendGeneric(b, 'record-published') },
  {
    file: 'inboundMessageWorkflow-failed-after-retry',
    async run(b) {
      const pathContains = `/custom-channels/${b.sandbox.channelId}/messages`;
      addFault(b.sandboxState, { kind: 'status', status: 503, pathContains, method: 'POST', count: 1 });
      addFault(b.sandboxState, { kind: 'status', status: 400, pathContains, method: 'POST', count: 1 });
      return sendGeneric(b, 'record-failed');
    },
  },
  {
    // The main path: resolve, deliver through the generic connector emulator, SENT, then the READ receipt.
    file: 'outboundMessageWorkflow-delivered-read',
    settleMs: 90_000,
    async run(b) {
      const emulator = await startGenericEmulator({ autoReceipts: ['delivered', 'read'] });
      cleanups.push(() => emulator.close());
      const account = await connectAccount(b, 'generic', { signingSecret: GENERIC_SECRET, callbackUrl: emulator.callbackUrl });
      await emulator.control('/config', { bridgeUrl: `${b.apiUrl}/webhooks/generic/${account.accountId}` }, 'PUT');
      const threadId = await openThread(b, account, 'record-outbound', { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'record-customer' });
      return `outbound:${await replyAsRep(b, threadId, { text: 'On it!' })}`;
    },
  },
  {
    file: 'outboundMessageWorkflow-unroutable',
    async run(b, client) {
      const hubspotMessageId = `record-${randomUUID()}`;
      await startOutboundWorkflow(client, b.taskQueue, {
        hubspotMessageId, portalId: b.sandbox.portal.portalId, channelId: b.sandbox.channelId, channelAccountId: 'no-such-account',
        recipients: [], text: 'hello', attachments: [], createdAt: new Date().toISOString(), policy: DEFAULT_OUTBOUND_POLICY,
      });
      return `outbound:${hubspotMessageId}`;
    },
  },
  {
    file: 'accountLifecycleWorkflow-updated',
    async run(b, client) {
      const workflowId = accountWorkflowId(b.account.accountId);
      await client.workflow.signalWithStart('accountLifecycleWorkflow', {
        workflowId, taskQueue: b.taskQueue, args: [], signal: accountEventSignal,
        signalArgs: [{ type: 'CHANNEL_ACCOUNT_UPDATED', portalId: String(b.sandbox.portal.portalId), accountId: b.account.accountId }],
      });
      return workflowId;
    },
  },
];

const cleanups: (() => Promise<unknown>)[] = [];
// The generic connector emulator listens on loopback, which the bridge refuses unless allowed (sandboxes only).
const bridge = await startTestBridge({ outbound: { providerEndpoints: { allowPrivateMediaHosts: ['127.0.0.1'] } } });
try {
  fs.mkdirSync(outDir, { recursive: true });
  for (const c of cases.filter((c) => filters.length === 0 || filters.some((f) => c.file.includes(f)))) {
    const workflowId = await c.run(bridge, bridge.client);
    const handle = bridge.client.workflow.getHandle(workflowId);
    await settle(handle, c.settleMs);
    // The CLI's JSON is the documented fixture format (historyFromJSON reads it back).
    const json = execFileSync(cliPath, ['workflow', 'show', '--workflow-id', workflowId, '--output', 'json', '--address', process.env.TEMPORAL_ADDRESS!], { encoding: 'utf8' });
    const file = path.join(outDir, `${c.file}.json`);
    fs.writeFileSync(file, json.endsWith('\n') ? json : `${json}\n`);
    const { status } = await handle.describe();
    console.log(`${path.relative(root, file)}: ${(JSON.parse(json) as { events: unknown[] }).events.length} events (${status.name})`);
  }
} finally {
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  await bridge.stop();
  await server?.stop();
}
process.exit(0);
