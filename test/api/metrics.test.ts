import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../packages/bridge/src/logger.js';
import { freePort, stopChild } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import { metricsActivityInterceptor } from '../../packages/bridge/src/metrics/activity-interceptor.js';
import { serveMetrics } from '../../packages/bridge/src/metrics/serve.js';
import { createWorkerMetrics } from '../../packages/bridge/src/metrics/worker-metrics.js';
import { createBridgeWorker } from '../../packages/bridge/src/temporal/worker.js';
import { createHubSpotClient } from '../../packages/bridge/src/hubspot/client.js';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { connectWorker, temporalAddress, waitFor } from '../helpers/temporal.js';

/** A metric's value in Prometheus text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const line = text
    .split('\n')
    .find((l) =>
      l.startsWith(`${name}{`) || l.startsWith(`${name} `)
        ? Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`))
        : false,
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics', () => {
  let bridge: TestBridge;
  let workerMetrics: ReturnType<typeof createWorkerMetrics>;
  let served: Awaited<ReturnType<typeof serveMetrics>>;
  let stopWorker: () => Promise<void>;
  before(async () => {
    bridge = await startTestBridge({ worker: false });
    workerMetrics = createWorkerMetrics();
    const connection = await connectWorker();
    const hubspot = createHubSpotClient({
      baseUrl: bridge.sandbox.url,
      channelId: bridge.sandbox.channelId,
      accessTokenFor: async () => bridge.sandbox.portal.accessToken,
    });
    const worker = await createBridgeWorker({
      connection,
      namespace: 'default',
      taskQueue: bridge.taskQueue,
      deps: { store: bridge.store, hubspot },
      workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
      activityInterceptors: [metricsActivityInterceptor(workerMetrics, createLogger('test-worker-metrics', 'silent'))],
    });
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
      await connection.close();
    };
    served = await serveMetrics({ registry: workerMetrics.registry, host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await served.close();
    await stopWorker();
    await bridge.stop();
  });

  const send = (payload: unknown, secret = bridge.signingSecret, account: string = bridge.account.accountId) => {
    const request = signedGenericRequest(secret, payload);
    return fetch(`${bridge.apiUrl}/webhooks/generic/${account}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
  };

  it('counts webhook rejects by source and reason on the api', async () => {
    assert.equal((await send(messageCreated(), 'whsec_d3JvbmctLXNlY3JldC0td3Jvbmc=')).status, 401);
    assert.equal((await send(messageCreated(), bridge.signingSecret, 'no-such-account')).status, 404);
    const res = await fetch(`${bridge.apiUrl}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    assert.equal(sample(text, 'bridge_webhook_rejects_total', { source: 'generic', reason: 'bad-signature' }), 1);
    assert.equal(sample(text, 'bridge_webhook_rejects_total', { source: 'generic', reason: 'unknown-account' }), 1);
    assert.equal(sample(text, 'bridge_held_messages', { direction: 'inbound' }), 0);
    assert.ok(sample(text, 'process_cpu_user_seconds_total', { service: 'api' }) !== undefined, 'process metrics too');
  });

  it('counts a published message by direction, provider and outcome, and times each step, on the worker', async () => {
    const payload = messageCreated({ threadKey: 'metrics-chat' });
    assert.equal((await send(payload)).status, 200);
    await bridge.client.workflow.getHandle(`inbound:${bridge.account.accountId}:${payload.data.messageId}`).result();
    const text = await (await fetch(served.url)).text();
    assert.equal(
      sample(text, 'bridge_messages_total', { direction: 'inbound', provider: 'generic', outcome: 'published' }),
      1,
    );
    // The common case is one step (docs/INBOUND.md): the turn, thread, publish and record inside it.
    const oneStep = { step: 'publishInboundInOneStep', outcome: 'completed' };
    assert.equal(sample(text, 'bridge_step_duration_seconds_count', oneStep), 1);
    assert.ok((sample(text, 'bridge_step_duration_seconds_sum', oneStep) ?? 0) > 0);
    assert.equal(
      sample(text, 'bridge_step_duration_seconds_count', { step: 'publishInboundMessage', outcome: 'completed' }),
      undefined,
      'no durable publish step',
    );
  });
});

describe('worker process /metrics', () => {
  let child: ChildProcess;
  let url: string;
  let output = '';
  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-worker-metrics-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}/metrics`;
    child = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve(import.meta.dirname, '../../packages/bridge/src/worker.ts')],
      {
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: temporalAddress(),
          TEMPORAL_TASK_QUEUE: `metrics-${randomUUID()}`,
          BRIDGE_SQLITE_PATH: path.join(dir, 'bridge.sqlite'),
          BRIDGE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
          HUBSPOT_CHANNEL_ID: '1',
          HUBSPOT_ACCESS_TOKEN: 'unused-in-this-test',
          HUBSPOT_CLIENT_ID: 'unused-client-id',
          HUBSPOT_CLIENT_SECRET: 'unused-client-secret',
          BRIDGE_PUBLIC_URL: 'http://127.0.0.1:9',
          HUBSPOT_BASE_URL: 'http://127.0.0.1:9',
          BRIDGE_WORKER_METRICS_PORT: String(port),
          TEMPORAL_SDK_METRICS_PORT: String(await freePort()),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  });
  after(() => stopChild(child));

  it("serves the bridge's metrics and the Temporal SDK's worker metrics on one loopback endpoint, and logs JSON", async () => {
    const text = await waitFor(
      async () => {
        const body = await fetch(url).then(
          (r) => r.text(),
          () => undefined,
        );
        return body && /^temporal_\w+/m.test(body) ? body : undefined;
      },
      60_000,
      `worker metrics with the SDK's at ${url} (output so far: ${output.slice(-500)})`,
    );
    assert.match(text, /^# HELP bridge_step_duration_seconds /m);
    assert.match(text, /^temporal_\w*(poll|slots|worker)\w*/m);
    const lines = output.trim().split('\n').filter(Boolean);
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `a JSON log line: ${line}`);
  });
});
