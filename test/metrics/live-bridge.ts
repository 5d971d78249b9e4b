import { addFault } from '../../packages/sandbox/src/hubspot/faults.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { connectClient } from '../helpers/temporal.js';
import { freePorts, startEntrypointWorld, untilServing, type EntrypointWorld } from '../process/entrypoints.js';

/** A real api (src/server.ts) and worker (src/worker.ts), each its own process, that have carried one message. */
export interface LiveBridge {
  readonly world: EntrypointWorld;
  readonly apiUrl: string;
  readonly workerMetricsUrl: string;
  scrapeApi(): Promise<string>;
  scrapeWorker(): Promise<string>;
  close(): Promise<void>;
}

const text = async (url: string) => (await fetch(url)).text();

/**
 * Starts both processes on the world's store and Temporal, sends one signed generic message (through the durable steps)
 * plus two refused webhooks,
 * waits for the message to be published and for the worker's scrape to include the Temporal SDK's metrics.
 */
export async function startLiveBridge(): Promise<LiveBridge> {
  const world = await startEntrypointWorld();
  const [apiPort, workerMetricsPort, sdkPort] = await freePorts(3);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const workerMetricsUrl = `http://127.0.0.1:${workerMetricsPort}/metrics`;
  const api = world.start('metrics-api', 'packages/bridge/src/server.ts', {
    BRIDGE_API_HOST: '127.0.0.1',
    BRIDGE_API_PORT: String(apiPort),
    BRIDGE_PUBLIC_URL: apiUrl,
  });
  const worker = world.start('metrics-worker', 'packages/bridge/src/worker.ts', {
    BRIDGE_WORKER_METRICS_PORT: String(workerMetricsPort),
    TEMPORAL_SDK_METRICS_PORT: String(sdkPort),
  });
  await untilServing(api, '/readyz 200', async () =>
    (await fetch(`${apiUrl}/readyz`)).status === 200 ? true : undefined,
  );

  // HubSpot's first answer is a 503: the message leaves the one step for the durable steps (docs/INBOUND.md), so the
  // scrape has the metrics of a scheduled activity (schedule-to-start) as well as a local one's.
  addFault(world.sandbox.state, {
    kind: 'status',
    status: 503,
    method: 'POST',
    pathContains: `/custom-channels/${world.sandbox.channelId}/messages`,
    count: 1,
  });
  const payload = messageCreated({ threadKey: 'metrics-live' });
  const signed = signedGenericRequest(world.signingSecret, payload);
  const webhook = `${apiUrl}/webhooks/generic/${world.accountId}`;
  const accepted = await fetch(webhook, { method: 'POST', headers: signed.headers, body: signed.body });
  if (accepted.status !== 200)
    throw new Error(`the api refused the message: ${accepted.status} ${await accepted.text()}`);
  await fetch(webhook, {
    method: 'POST',
    headers: { ...signed.headers, 'webhook-signature': 'v1,d3Jvbmc=' },
    body: signed.body,
  });
  await fetch(`${apiUrl}/webhooks/generic/no-such-account`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });

  const { client, close: closeClient } = await connectClient();
  try {
    await client.workflow.getHandle(`inbound:${world.accountId}:${payload.data.messageId}`).result();
  } finally {
    await closeClient();
  }
  await untilServing(worker, 'the SDK metrics in the worker scrape', async () => {
    const body = await text(workerMetricsUrl);
    return /^temporal_num_pollers\{/m.test(body) && /^bridge_messages_total\{/m.test(body) ? true : undefined;
  });
  return {
    world,
    apiUrl,
    workerMetricsUrl,
    scrapeApi: () => text(`${apiUrl}/metrics`),
    scrapeWorker: () => text(workerMetricsUrl),
    close: () => world.close(),
  };
}
