import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import { createApiMetrics } from '../../packages/bridge/src/metrics/api-metrics.js';
import { refusalReason } from '../../packages/bridge/src/metrics/refusal-reason.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { listen, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { temporalAddress } from '../helpers/temporal.js';

/** bridge_webhook_rejects_total's value for a source and reason in a scrape, 0 when the series is absent. */
function rejects(text: string, source: string, reason: string): number {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`bridge_webhook_rejects_total{source="${source}",reason="${reason}",`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** A TCP relay to the suite's Temporal server that can be cut, as a network partition would. */
async function temporalRelay(): Promise<{ address: string; cut: () => void }> {
  const [host, port] = temporalAddress().split(':') as [string, string];
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((inbound) => {
    const outbound = net.connect(Number(port), host);
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(relay.address() as net.AddressInfo).port}`,
    cut: () => {
      relay.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

/**
 * A second api on the same store and account, with a Temporal client or store of its own (both may be out of order).
 */
async function startApi(bridge: TestBridge, temporal: Client, store: Store): Promise<{ url: string; server: Server }> {
  const app = createApp({
    store,
    temporal,
    taskQueue: bridge.taskQueue,
    logger: createLogger('test-api', 'silent'),
    maxBodyBytes: 64 * 1024,
    checkTemporal: async () => undefined,
    metrics: createApiMetrics(temporal),
  });
  return listen(app);
}

describe('webhook refusals are labelled with what happened', { timeout: 120_000 }, () => {
  let bridge: TestBridge;
  const servers: Server[] = [];
  let deadTemporal: Connection;
  before(async () => {
    bridge = await startTestBridge({ worker: false });
  });
  after(async () => {
    for (const server of servers) server.close();
    await deadTemporal?.close();
    await bridge.stop();
  });

  const post = (url: string, path: string, body: string | Blob, headers: Record<string, string>) =>
    fetch(`${url}${path}`, { method: 'POST', headers, body });
  const signed = () =>
    signedGenericRequest(bridge.signingSecret, messageCreated({ threadKey: `refusals-${randomUUID()}` }));
  const scrape = async (url: string) => (await fetch(`${url}/metrics`)).text();

  it('names each refusal of the request itself', async () => {
    const url = bridge.apiUrl;
    const account = `/webhooks/generic/${bridge.account.accountId}`;
    const good = signed();
    const statuses = [
      (await post(url, account, good.body, { ...good.headers, 'webhook-signature': 'v1,d3Jvbmc=' })).status,
      (await post(url, '/webhooks/generic/no-such-account', good.body, good.headers)).status,
      (await post(url, '/webhooks/smoke-signals/1', good.body, good.headers)).status,
      (await fetch(`${url}/webhooks/hubspot/extra/segments`)).status,
      (await fetch(`${url}${account}`)).status,
      (await post(url, account, 'x'.repeat(65 * 1024), good.headers)).status,
      (await post(url, account, good.body, { ...good.headers, 'content-type': 'text/plain' })).status,
      (
        await post(url, account, new Blob([new Uint8Array(gzipSync(good.body))]), {
          ...good.headers,
          'content-encoding': 'gzip',
        })
      ).status,
    ];
    const notJson = signedGenericRequest(bridge.signingSecret, '{"type": "message.created", "data": 42}');
    statuses.push((await post(url, account, notJson.body, notJson.headers)).status);
    assert.deepEqual(statuses, [401, 404, 404, 404, 405, 413, 415, 415, 400]);
    const text = await scrape(url);
    assert.equal(rejects(text, 'generic', 'bad-signature'), 1);
    assert.equal(rejects(text, 'generic', 'unknown-account'), 1);
    assert.equal(
      rejects(text, 'unknown', 'unknown-provider'),
      1,
      'a made-up source is counted as unknown, never as its own label',
    );
    assert.equal(rejects(text, 'hubspot', 'no-route'), 1);
    assert.equal(rejects(text, 'generic', 'method-not-allowed'), 1);
    assert.equal(rejects(text, 'generic', 'too-large'), 1);
    assert.equal(rejects(text, 'generic', 'unsupported-content-type'), 1);
    assert.equal(rejects(text, 'generic', 'compressed-body'), 1);
    assert.equal(rejects(text, 'generic', 'malformed'), 1);
    assert.doesNotMatch(text, /smoke-signals/);
  });

  it('tells a connection HubSpot has not created yet from an outage', async () => {
    const connectionId = `conn_${randomUUID().replaceAll('-', '')}`;
    const { portalId, channelId, deliveryIdentifier } = bridge.account;
    await bridge.store.addPendingConnection(
      {
        connectionId,
        portalId,
        channelId,
        provider: 'generic',
        name: 'pending',
        deliveryIdentifier: { ...deliveryIdentifier, value: `pending-${connectionId}` },
      },
      { signingSecret: bridge.signingSecret },
    );
    const good = signed();
    assert.equal((await post(bridge.apiUrl, `/webhooks/generic/${connectionId}`, good.body, good.headers)).status, 503);
    const text = await scrape(bridge.apiUrl);
    assert.equal(rejects(text, 'generic', 'connection-pending'), 1);
    assert.equal(rejects(text, 'generic', 'temporal-unavailable'), 0);
  });

  it('tells Temporal being unreachable from the store being unavailable', async () => {
    // Connected, then cut off: every Temporal call fails, within the api's deadline.
    const relay = await temporalRelay();
    deadTemporal = await Connection.connect({ address: relay.address });
    relay.cut();
    const noTemporal = await startApi(bridge, new Client({ connection: deadTemporal }), bridge.store);
    servers.push(noTemporal.server);
    // The store answers the account lookup, then fails as the message takes its place in line.
    const failing = new Proxy(bridge.store, {
      get: (target, name, receiver) =>
        name === 'queueTurn'
          ? () => Promise.reject(new Error('SQLITE_IOERR: disk I/O error'))
          : Reflect.get(target, name, receiver),
    });
    const noStore = await startApi(bridge, bridge.client, failing);
    servers.push(noStore.server);
    const account = `/webhooks/generic/${bridge.account.accountId}`;
    const [first, second] = [signed(), signed()];
    assert.equal((await post(noTemporal.url, account, first.body, first.headers)).status, 503);
    assert.equal((await post(noStore.url, account, second.body, second.headers)).status, 503);
    const scrapeStarted = Date.now();
    assert.equal(rejects(await scrape(noTemporal.url), 'generic', 'temporal-unavailable'), 1);
    assert.ok(
      Date.now() - scrapeStarted < 5_000,
      `a scrape answers while Temporal is down, within Prometheus's timeout (${Date.now() - scrapeStarted} ms)`,
    );
    const storeText = await scrape(noStore.url);
    assert.equal(rejects(storeText, 'generic', 'store-unavailable'), 1);
    assert.equal(rejects(storeText, 'generic', 'temporal-unavailable'), 0);
  });
});

describe('refusalReason', () => {
  it('falls back to the status when the answer carried no reason it knows', () => {
    assert.equal(refusalReason(503, { status: 503, reason: 'something new' }), 'unavailable');
    assert.equal(refusalReason(429), 'rate-limited');
    assert.equal(refusalReason(502), 'server-error');
    assert.equal(refusalReason(418), 'other');
  });

  it('names a webhook the overloaded api shed (its answer in src/api/shed-webhook.ts) apart from an outage', () => {
    assert.equal(
      refusalReason(503, { status: 503, reason: 'the bridge is overloaded (webhooks wait 1.2 s); retry later' }),
      'overloaded',
    );
  });

  it('reads the reason only from a refusal of the same status', () => {
    assert.equal(refusalReason(500, { status: 503, reason: 'the store is unavailable; retry later' }), 'server-error');
  });
});
