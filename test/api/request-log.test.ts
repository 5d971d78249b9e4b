import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { hubSpotSignatureV3 } from '../../packages/bridge/src/hubspot/signature.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { listen, tempStore } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { connectClient } from '../helpers/temporal.js';

type Line = Record<string, unknown> & { msg: string };

/** A real pino logger whose lines land in an array, parsed. */
function capturedLogger() {
  const lines: Line[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  return { logger: createLogger('request-log-test', 'info', destination), lines };
}

const HUBSPOT_SECRET = 'request-log-client-secret';
const HUBSPOT_URL = 'https://bridge.example.com/webhooks/hubspot';
const signingSecret = `whsec_${randomBytes(24).toString('base64')}`;
const accountId = asAccountId('771001');

async function storeWithAccount(): Promise<Store> {
  const { store } = tempStore();
  await store.upsertAccount({
    accountId,
    portalId: '243842089',
    channelId: '1234',
    provider: 'generic',
    name: 'Request log',
    deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'request-log' },
    authorized: true,
    credentials: { signingSecret },
  });
  return store;
}

/** The api on a real store and a Temporal client (the suite's dev server, or one that cannot connect). */
async function startApi(temporal: Client) {
  const captured = capturedLogger();
  const app = createApp({
    store: await storeWithAccount(),
    temporal,
    taskQueue: `request-log-${randomUUID()}`,
    logger: captured.logger,
    maxBodyBytes: 65536,
    checkTemporal: async () => undefined,
    hubspotWebhook: { url: HUBSPOT_URL, clientSecret: HUBSPOT_SECRET },
  });
  const api = await listen(app);
  return { ...captured, url: api.url, close: () => new Promise<void>((r) => api.server.close(() => r())) };
}

/** A signed OUTGOING_CHANNEL_MESSAGE_CREATED, as HubSpot sends a rep's reply. */
function hubSpotReply(messageId: string, requestId: string) {
  const body = JSON.stringify({
    type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
    eventId: randomUUID(),
    portalId: 243842089,
    channelId: '1234',
    channelIntegrationThreadIds: ['987654:55501'],
    message: {
      id: messageId,
      type: 'MESSAGE',
      direction: 'OUTGOING',
      channelId: '1234',
      channelAccountId: '987654',
      createdAt: new Date().toISOString(),
      recipients: [{ actorId: 'V-1', deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: '+15551234567' } }],
      text: 'hi',
      attachments: [],
    },
  });
  const timestamp = String(Date.now());
  const headers = {
    'content-type': 'application/json',
    'x-request-id': requestId,
    'x-hubspot-request-timestamp': timestamp,
    'x-hubspot-signature-v3': hubSpotSignatureV3(HUBSPOT_SECRET, 'POST', HUBSPOT_URL, Buffer.from(body), timestamp),
  };
  return { method: 'POST', body, headers };
}

const postGeneric = (url: string, payload: unknown, headers: Record<string, string> = {}) => {
  const request = signedGenericRequest(signingSecret, payload);
  return fetch(`${url}/webhooks/generic/${accountId}`, {
    method: 'POST',
    headers: { ...request.headers, ...headers },
    body: request.body,
  });
};

const accessLine = (lines: Line[], requestId: string) =>
  lines.find((l) => l.msg === 'request' && l.requestId === requestId);
/** Lines are written as the answer goes out: wait for the access line, the request's last. */
async function linesOf(lines: Line[], requestId: string): Promise<Line[]> {
  for (let i = 0; i < 100 && !accessLine(lines, requestId); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(accessLine(lines, requestId), `no access line for ${requestId}`);
  return lines.filter((l) => l.requestId === requestId);
}

describe('request ids, access lines and message keys in the api log', { timeout: 60_000 }, () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let closeClient: () => Promise<void>;
  before(async () => {
    const temporal = await connectClient();
    closeClient = temporal.close;
    api = await startApi(temporal.client);
  });
  after(async () => {
    await api?.close();
    await closeClient?.();
  });

  it("keeps the caller's X-Request-Id, answers it, and puts it on every line of the request, the accept line with its message key", async () => {
    const payload = messageCreated();
    const requestId = `req-${randomUUID()}`;
    const before = api.lines.length;
    const res = await postGeneric(api.url, payload, { 'x-request-id': requestId });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-request-id'), requestId);
    const mine = await linesOf(api.lines, requestId);
    assert.deepEqual(
      api.lines.slice(before).filter((l) => l.requestId !== requestId),
      [],
      'a line of the request without its id',
    );
    const accepted = mine.find((l) => l.msg === 'inbound message accepted');
    assert.equal(accepted?.messageKey, `inbound:${accountId}:${payload.data.messageId}`);
    const access = accessLine(mine, requestId)!;
    assert.deepEqual(
      { method: access.method, route: access.route, status: access.status },
      { method: 'POST', route: '/webhooks/:provider/:accountId', status: 200 },
    );
    assert.equal(typeof access.durationMs, 'number');
    assert.ok((access.durationMs as number) >= 0);
    assert.equal(access.messageKey, undefined, 'the accepted message is named on its own line, not on the next');
  });

  it('keeps the request id on the lines after a body that arrives in pieces, after the handler started reading', async () => {
    const payload = messageCreated();
    const request = signedGenericRequest(signingSecret, payload);
    const requestId = randomUUID();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${api.url}/webhooks/generic/${accountId}`,
        {
          method: 'POST',
          headers: { ...request.headers, 'x-request-id': requestId, 'content-length': Buffer.byteLength(request.body) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(request.body.slice(0, 10));
      setTimeout(() => req.end(request.body.slice(10)), 100);
    });
    assert.equal(status, 200);
    const accepted = (await linesOf(api.lines, requestId)).find((l) => l.msg === 'inbound message accepted');
    assert.equal(accepted?.messageKey, `inbound:${accountId}:${payload.data.messageId}`);
  });

  it("names a rep's reply on the line that accepts it", async () => {
    const messageId = randomUUID();
    const requestId = randomUUID();
    const res = await fetch(`${api.url}/webhooks/hubspot`, hubSpotReply(messageId, requestId));
    assert.equal(res.status, 200);
    const accepted = (await linesOf(api.lines, requestId)).find((l) => l.msg === 'outbound message accepted');
    assert.equal(accepted?.messageKey, `outbound:${messageId}`);
  });

  it('makes an id when none or no sane one is given, and never echoes the bad one', async () => {
    for (const given of [undefined, 'has spaces in it', 'x'.repeat(129), 'line\tbreak"}']) {
      const res = await fetch(`${api.url}/healthz`, { headers: given === undefined ? {} : { 'x-request-id': given } });
      const id = res.headers.get('x-request-id');
      assert.match(id ?? '', /^[0-9a-f-]{36}$/, `given ${given}`);
    }
  });

  it('writes an access line with the route template, not the URL, for a refusal and for no route at all', async () => {
    const refusedId = randomUUID();
    const refused = await fetch(`${api.url}/webhooks/generic/${accountId}?hub.verify_token=secret-in-url`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': refusedId },
      body: '{}',
    });
    assert.equal(refused.status, 401);
    const lines = await linesOf(api.lines, refusedId);
    assert.deepEqual(
      lines.map((l) => l.msg),
      ['request rejected', 'request'],
    );
    assert.equal(lines[1]!.route, '/webhooks/:provider/:accountId');
    assert.ok(!JSON.stringify(lines).includes('secret-in-url'));
    // Refused before the signature is verified: the bytes are not parsed, so no message is named.
    assert.ok(lines.every((l) => l.messageKey === undefined));

    const nowhereId = randomUUID();
    assert.equal((await fetch(`${api.url}/nowhere`, { headers: { 'x-request-id': nowhereId } })).status, 404);
    const access = accessLine(await linesOf(api.lines, nowhereId), nowhereId)!;
    assert.deepEqual(
      { method: access.method, route: access.route, status: access.status },
      { method: 'GET', route: '(unmatched)', status: 404 },
    );
  });

  it('logs probes at debug only', async () => {
    const id = randomUUID();
    assert.equal((await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': id } })).status, 200);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(accessLine(api.lines, id), undefined);
  });
});

describe('a message Temporal cannot take: its refusal lines name it', { timeout: 60_000 }, () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  before(async () => {
    api = await startApi(
      new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1 second' }) }),
    );
  });
  after(() => api?.close());

  it('carries the inbound message key on the 503 line and the access line', async () => {
    const payload = messageCreated();
    const requestId = randomUUID();
    const res = await postGeneric(api.url, payload, { 'x-request-id': requestId });
    assert.equal(res.status, 503);
    const lines = await linesOf(api.lines, requestId);
    const key = `inbound:${accountId}:${payload.data.messageId}`;
    const refusal = lines.find((l) => l.msg === 'request failed' || l.msg === 'request rejected');
    assert.equal(refusal?.messageKey, key, JSON.stringify(lines));
    assert.equal(refusal?.status, 503);
    assert.equal(accessLine(lines, requestId)?.messageKey, key);
  });

  it('carries the outbound message key when a HubSpot reply is refused', async () => {
    const messageId = randomUUID();
    const requestId = randomUUID();
    const res = await fetch(`${api.url}/webhooks/hubspot`, hubSpotReply(messageId, requestId));
    assert.equal(res.status, 503);
    const refusal = (await linesOf(api.lines, requestId)).find((l) => l.status === 503 && l.msg !== 'request');
    assert.equal(refusal?.messageKey, `outbound:${messageId}`);
  });
});
