import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../helpers/hubspot-sandbox.js';

/**
 * SANDBOX_HUBSPOT_LATENCY_MS: a base latency on every HubSpot call, for benchmarks that want api.hubapi.com's round
 * trip.
 */
describe('HubSpot sandbox: base latency', () => {
  let hs: Sandbox;
  before(async () => {
    hs = await startSandbox({ latencyMs: 400 });
  });
  after(() => hs.close());

  it('holds every HubSpot API call for the configured latency, then answers it normally', async () => {
    const started = Date.now();
    const res = await hs.call('GET', '/conversations/v3/conversations/inboxes');
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started >= 390, `answered after ${Date.now() - started} ms`);
    assert.equal(hs.state.ledger.at(-1)?.path, '/conversations/v3/conversations/inboxes');
  });

  it('never holds the control API: it answers while a HubSpot call is still held', async () => {
    const order: string[] = [];
    const held = hs.call('GET', '/conversations/v3/conversations/inboxes').then(() => order.push('hubspot'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const control = hs.call('GET', '/_sandbox/info').then((res) => {
      order.push('control');
      return res;
    });
    assert.equal((await control).body.options.latencyMs, 400);
    await held;
    assert.deepEqual(order, ['control', 'hubspot']);
  });

  it('is off by default', async () => {
    const plain = await startSandbox();
    try {
      assert.equal(plain.state.options.latencyMs, 0);
    } finally {
      await plain.close();
    }
  });
});
