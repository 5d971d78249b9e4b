import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addPortal } from '../../packages/sandbox/src/hubspot/state.js';
import { startSandbox, type Sandbox } from '../helpers/hubspot-sandbox.js';

/** The per-portal rate limit and the faults tests inject through /_sandbox/faults. */
describe('HubSpot sandbox: rate limit and faults', () => {
  let hs: Sandbox;
  let channelId: string;
  let accountId: string;
  before(async () => {
    // A long window, so the limit cannot free up between calls on a slow machine.
    hs = await startSandbox({ rateLimit: { max: 5, intervalMs: 60_000 } });
    channelId = (await hs.registerChannel()).id;
  });
  after(() => hs.close());

  describe('rate limit', () => {
    it('counts calls per portal in the headers and answers 429 with HubSpot body and Retry-After past the limit', async () => {
      const portal = addPortal(hs.state);
      const inboxes = () => hs.call('GET', '/conversations/v3/conversations/inboxes', { token: portal.accessToken });
      const remaining: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const res = await inboxes();
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('x-hubspot-ratelimit-max'), '5');
        assert.equal(res.headers.get('x-hubspot-ratelimit-interval-milliseconds'), '60000');
        remaining.push(res.headers.get('x-hubspot-ratelimit-remaining')!);
      }
      assert.deepEqual(remaining, ['4', '3', '2', '1', '0']);
      const limited = await inboxes();
      assert.equal(limited.status, 429);
      assert.equal(limited.body.policyName, 'TEN_SECONDLY_ROLLING');
      assert.equal(limited.body.errorType, 'RATE_LIMIT');
      const retryAfter = Number(limited.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    });

    it('keeps portals apart and does not count calls that fail authentication', async () => {
      const busy = addPortal(hs.state);
      for (let i = 0; i < 6; i += 1)
        await hs.call('GET', '/conversations/v3/conversations/inboxes', { token: busy.accessToken });
      const quiet = addPortal(hs.state);
      for (let i = 0; i < 3; i += 1)
        assert.equal((await hs.call('GET', '/conversations/v3/conversations/inboxes', { token: 'bad' })).status, 401);
      const res = await hs.call('GET', '/conversations/v3/conversations/inboxes', { token: quiet.accessToken });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-hubspot-ratelimit-remaining'), '4');
    });
  });

  describe('faults', () => {
    let fresh: Sandbox;
    before(async () => {
      fresh = await startSandbox();
      channelId = (await fresh.registerChannel()).id;
      accountId = (await fresh.createAccount(channelId)).id;
    });
    after(() => fresh.close());
    const fault = (spec: unknown) => fresh.call('POST', '/_sandbox/faults', { token: null, json: spec });
    const inboxes = () => fresh.call('GET', '/conversations/v3/conversations/inboxes');

    it('answers the next N matching calls with the injected status, then recovers', async () => {
      assert.equal((await fault({ kind: 'status', status: 502, count: 2, pathContains: '/inboxes' })).status, 201);
      assert.equal(
        (await fresh.call('GET', `/conversations/v3/custom-channels/${channelId}/channel-accounts`)).status,
        200,
        'other paths are untouched',
      );
      assert.equal((await inboxes()).status, 502);
      assert.equal((await inboxes()).status, 502);
      assert.equal((await inboxes()).status, 200);
    });

    it('answers an injected 429 with the rate-limit body', async () => {
      await fault({ kind: 'rate-limit', count: 1 });
      const res = await inboxes();
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '1');
    });

    it('holds a call for the injected latency', async () => {
      await fault({ kind: 'latency', latencyMs: 300, count: 1 });
      const started = Date.now();
      assert.equal((await inboxes()).status, 200);
      assert.ok(Date.now() - started >= 290);
    });

    it('drops the connection before processing: the caller gets a network error and nothing is created', async () => {
      await fault({ kind: 'drop', count: 1, method: 'POST', pathContains: '/messages' });
      const egg = fresh.incoming(accountId);
      await assert.rejects(fresh.publish(channelId, egg));
      assert.equal(
        [...fresh.state.messages.values()].filter((m) => m.integrationIdempotencyId === egg.integrationIdempotencyId)
          .length,
        0,
      );
      assert.equal(fresh.state.ledger.at(-1)?.status, 0);
      assert.equal(fresh.state.ledger.at(-1)?.fault, 'drop');
    });

    it('times out after accepting: the message exists though the caller saw an error, and a retry with the same idempotency id returns it', async () => {
      await fault({ kind: 'timeout-after-accept', count: 1, pathContains: '/messages' });
      const egg = fresh.incoming(accountId);
      await assert.rejects(fresh.publish(channelId, egg));
      const created = [...fresh.state.messages.values()].filter(
        (m) => m.integrationIdempotencyId === egg.integrationIdempotencyId,
      );
      assert.equal(created.length, 1);
      assert.deepEqual(
        [fresh.state.ledger.at(-1)?.status, fresh.state.ledger.at(-1)?.fault],
        [201, 'timeout-after-accept'],
      );
      const retry = await fresh.publish(channelId, egg);
      assert.deepEqual([retry.status, retry.body.id], [201, created[0]!.id]);
    });

    it('hits a share of calls, and stops once deleted', async () => {
      const injected = (await fault({ kind: 'status', status: 500, share: 1, pathContains: '/inboxes' })).body;
      assert.equal((await inboxes()).status, 500);
      assert.equal((await fresh.call('GET', '/_sandbox/faults', { token: null })).body.faults[0].hits, 1);
      assert.equal((await fresh.call('DELETE', `/_sandbox/faults/${injected.id}`, { token: null })).status, 204);
      assert.equal((await inboxes()).status, 200);
    });

    it('refuses a fault it cannot apply', async () => {
      assert.equal((await fault({ kind: 'explode' })).status, 400);
      assert.equal((await fault({ kind: 'status', status: 200 })).status, 400);
      assert.equal((await fault({ kind: 'status', share: 2 })).status, 400);
      assert.equal((await fault({ kind: 'latency' })).status, 400);
    });
  });
});
