import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { freePort } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import { listen, tempStore, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';

describe('health and readiness', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startTestBridge({ worker: false });
  });
  after(() => bridge.stop());

  it('answers /healthz and a ready /readyz when Temporal and the store answer', async () => {
    assert.equal((await fetch(`${bridge.apiUrl}/healthz`)).status, 200);
    const ready = await fetch(`${bridge.apiUrl}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), {
      ok: true,
      checks: [
        { name: 'temporal', ok: true },
        { name: 'store', ok: true },
      ],
    });
  });

  it('answers 404 with a reason for an unknown route', async () => {
    const res = await fetch(`${bridge.apiUrl}/nowhere`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: 'no route for GET /nowhere' });
  });
});

describe('when Temporal is unreachable', () => {
  it('stays alive, reports 503 on /readyz, and answers webhooks 503 so the sender retries', async () => {
    const { store } = tempStore();
    const { accountId } = { accountId: '42' };
    const secret = 'whsec_' + Buffer.from('unreachable-secret').toString('base64');
    await store.upsertAccount({
      accountId: accountId as never,
      portalId: '1',
      channelId: '2',
      provider: 'generic',
      name: 'x',
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'x' },
      authorized: true,
      credentials: { signingSecret: secret },
    });
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, connectTimeout: 500 });
    const temporal = new Client({ connection });
    const { server, url } = await listen(
      createApp({
        store,
        temporal,
        taskQueue: 'nowhere',
        logger: createLogger('t', 'silent'),
        maxBodyBytes: 65536,
        checkTemporal: () => connection.healthService.check({}),
      }),
    );
    try {
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      const ready = await fetch(`${url}/readyz`);
      assert.equal(ready.status, 503);
      const body = (await ready.json()) as { checks: { name: string; ok: boolean }[] };
      assert.deepEqual(
        body.checks.map((c) => [c.name, c.ok]),
        [
          ['temporal', false],
          ['store', true],
        ],
      );
      const request = signedGenericRequest(secret, messageCreated());
      const res = await fetch(`${url}/webhooks/generic/42`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), { error: 'the workflow engine is unavailable; retry later' });
    } finally {
      server.close();
      await store.close();
    }
  });
});
