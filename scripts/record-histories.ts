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
const { startTestBridge } = await import('../test/helpers/bridge.js');
const { messageCreated, signedGenericRequest } = await import('../test/helpers/generic-sender.js');
const { addFault } = await import('../src/sandbox/hubspot/faults.js');
const { startOutboundWorkflow } = await import('../src/api/start-outbound.js');
const { accountEventSignal, accountWorkflowId } = await import('../src/workflows/account-signals.js');
const { DEFAULT_OUTBOUND_POLICY } = await import('../src/domain/outbound.js');
type Bridge = Awaited<ReturnType<typeof startTestBridge>>;

/** Waits for the run to close, or records it as it stands after `ms` (a partial history replays just as well). */
async function settle(handle: WorkflowHandle, ms = 20_000): Promise<void> {
  await Promise.race([handle.result().catch(() => undefined), new Promise((r) => setTimeout(r, ms))]);
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
    file: 'conversationWorkflow-two-turns',
    async run(b, client) {
      await settle(client.workflow.getHandle(await sendGeneric(b, 'record-conversation')));
      await settle(client.workflow.getHandle(await sendGeneric(b, 'record-conversation')));
      return `conversation:${b.account.accountId}:record-conversation`;
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

const bridge = await startTestBridge();
try {
  fs.mkdirSync(outDir, { recursive: true });
  for (const c of cases.filter((c) => filters.length === 0 || filters.some((f) => c.file.includes(f)))) {
    const workflowId = await c.run(bridge, bridge.client);
    const handle = bridge.client.workflow.getHandle(workflowId);
    await settle(handle);
    // The CLI's JSON is the documented fixture format (historyFromJSON reads it back).
    const json = execFileSync(cliPath, ['workflow', 'show', '--workflow-id', workflowId, '--output', 'json', '--address', process.env.TEMPORAL_ADDRESS!], { encoding: 'utf8' });
    const file = path.join(outDir, `${c.file}.json`);
    fs.writeFileSync(file, json.endsWith('\n') ? json : `${json}\n`);
    const { status } = await handle.describe();
    console.log(`${path.relative(root, file)}: ${(JSON.parse(json) as { events: unknown[] }).events.length} events (${status.name})`);
  }
} finally {
  await bridge.stop();
  await server?.stop();
}
process.exit(0);
