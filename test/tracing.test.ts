import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Client } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { createApp } from '../packages/bridge/src/api/app.js';
import { INBOUND_WORKFLOW_TYPE } from '../packages/bridge/src/domain/workflow-types.js';
import { createHubSpotClient } from '../packages/bridge/src/hubspot/client.js';
import { createLogger } from '../packages/bridge/src/logger.js';
import { createBridgeWorker } from '../packages/bridge/src/temporal/worker.js';
import { startTracing, type Tracing } from '../packages/bridge/src/tracing/setup.js';
import { bundleTracedWorkflows, workerTracing } from '../packages/bridge/src/tracing/worker.js';
import { listen, startTestBridge, type TestBridge } from './helpers/bridge.js';
import { messageCreated, signedGenericRequest } from './helpers/generic-sender.js';
import { connectWorker, waitFor } from './helpers/temporal.js';

/** Tracing on, with an in-memory exporter: one trace from the webhook through the workflow to the publish. */
describe('OpenTelemetry tracing', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let bridge: TestBridge;
  let api: Awaited<ReturnType<typeof listen>>;
  let stopWorker: () => Promise<void>;

  before(async () => {
    tracing = startTracing({ serviceName: 'bridge-test', exporter, batch: false });
    bridge = await startTestBridge({ worker: false });
    const client = new Client({
      connection: bridge.client.connection,
      interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    });
    api = await listen(
      createApp({
        store: bridge.store,
        temporal: client,
        taskQueue: bridge.taskQueue,
        logger: createLogger('test-api', 'silent'),
        maxBodyBytes: 65536,
        checkTemporal: async () => undefined,
        tracer: tracing.tracer,
      }),
    );

    const scratch = path.resolve(import.meta.dirname, '../.tmp');
    fs.mkdirSync(scratch, { recursive: true });
    const bundlePath = path.join(scratch, `traced-bundle-${process.pid}.js`);
    fs.writeFileSync(bundlePath, await bundleTracedWorkflows());
    const connection = await connectWorker();
    const hubspot = createHubSpotClient({
      baseUrl: bridge.sandbox.url,
      channelId: bridge.sandbox.channelId,
      accessTokenFor: async () => bridge.sandbox.portal.accessToken,
    });
    const traced = workerTracing(tracing);
    const worker = await createBridgeWorker({
      connection,
      namespace: 'default',
      taskQueue: bridge.taskQueue,
      deps: { store: bridge.store, hubspot },
      workflowBundlePath: bundlePath,
      ...traced,
    });
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
      await connection.close();
      fs.rmSync(bundlePath, { force: true });
    };
  });
  after(async () => {
    await stopWorker();
    await new Promise<void>((r) => api.server.close(() => r()));
    await bridge.stop();
    await tracing.shutdown();
  });

  it('links the webhook span, the workflow start, the workflow run and its activities in one trace', async () => {
    const payload = messageCreated({ threadKey: 'traced-chat' });
    const request = signedGenericRequest(bridge.signingSecret, payload);
    const res = await fetch(`${api.url}/webhooks/generic/${bridge.account.accountId}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    assert.equal(res.status, 200);
    const workflowId = `inbound:${bridge.account.accountId}:${payload.data.messageId}`;
    await bridge.client.workflow.getHandle(workflowId).result();

    const webhook = await waitFor(
      () => exporter.getFinishedSpans().find((s) => s.name === 'webhook generic'),
      20_000,
      'the webhook span',
    );
    const traceId = webhook.spanContext().traceId;
    const inTrace = (name: string) => (spans: ReadableSpan[]) =>
      spans.find((s) => s.spanContext().traceId === traceId && s.name === name);
    const names = [
      `StartWorkflow:${INBOUND_WORKFLOW_TYPE}`,
      `RunWorkflow:${INBOUND_WORKFLOW_TYPE}`,
      'RunActivity:publishInboundInOneStep',
    ];
    for (const name of names)
      await waitFor(() => inTrace(name)(exporter.getFinishedSpans()), 20_000, `span ${name} in the webhook's trace`);
    const start = inTrace(`StartWorkflow:${INBOUND_WORKFLOW_TYPE}`)(exporter.getFinishedSpans())!;
    assert.equal(start.parentSpanId, webhook.spanContext().spanId, 'the workflow start is a child of the webhook span');
    const run = inTrace(`RunWorkflow:${INBOUND_WORKFLOW_TYPE}`)(exporter.getFinishedSpans())!;
    assert.equal(run.parentSpanId, start.spanContext().spanId, 'the workflow run continues the start');
    assert.equal(webhook.attributes['http.response.status_code'], 200);
  });
});
