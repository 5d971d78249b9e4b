import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import { listen, tempStore } from '../helpers/bridge.js';
import { connectClient } from '../helpers/temporal.js';

const TOKEN = `console-degraded-${randomUUID()}`;

/** The console when things are wrong: Temporal unreachable, no worker polling, no admin token configured. */
describe('the console when the bridge is degraded', () => {
  const servers: { url: string; close: () => Promise<void> }[] = [];
  const closers: (() => Promise<void>)[] = [];
  const start = async (temporal: Client, checkTemporal: () => Promise<unknown>, adminToken: string | undefined) => {
    const { store } = tempStore();
    closers.push(() => store.close());
    const app = createApp({
      store,
      temporal,
      taskQueue: `console-${randomUUID()}`,
      logger: createLogger('test-console', 'silent'),
      maxBodyBytes: 65536,
      checkTemporal,
      adminToken,
    });
    const { server, url } = await listen(app);
    const handle = { url, store, close: () => new Promise<void>((r) => server.close(() => r())) };
    servers.push(handle);
    return handle;
  };
  const signIn = async (url: string) => {
    const res = await fetch(`${url}/console/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(TOKEN)}`,
    });
    assert.equal(res.status, 303);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };
  let down: Awaited<ReturnType<typeof start>>;
  let idle: { url: string };
  let off: { url: string };

  before(async () => {
    // Nothing listens on port 1: a real client whose every call fails as an unreachable Temporal does.
    const dead = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s' });
    closers.push(() => dead.close());
    down = await start(new Client({ connection: dead }), () => dead.healthService.check({}), TOKEN);
    const live = await connectClient();
    closers.push(live.close);
    idle = await start(live.client, () => live.client.workflowService.getSystemInfo({}), TOKEN);
    off = await start(live.client, async () => undefined, undefined);
  });
  after(async () => {
    for (const s of servers) await s.close();
    for (const close of closers) await close().catch(() => undefined);
  });

  it('still answers the overview when Temporal is unreachable, saying so and showing the store and its HubSpot calls', async () => {
    // Two calls let through and a 429 that holds the portal for a minute, as the worker's pacer records them.
    const seededAt = Date.now();
    for (let i = 0; i < 2; i += 1)
      assert.equal(await down.store.takeCallSlot('hubspot:portal-degraded', 100, 10_500, seededAt + i), 0);
    await down.store.holdCalls('hubspot:portal-degraded', seededAt + 60_000, seededAt + 1);
    const cookie = await signIn(down.url);
    const startedAt = Date.now();
    const res = await fetch(`${down.url}/console`, { headers: { cookie } });
    assert.equal(res.status, 200);
    assert.ok(
      Date.now() - startedAt < 5_000,
      `the overview answered in ${Date.now() - startedAt} ms: it waits at most 2 s for Temporal`,
    );
    const page = await res.text();
    assert.match(page, /Some figures could not be read/);
    assert.match(page, /Temporal is unreachable/);
    assert.match(page, /<dt>Temporal<\/dt><dd><span class="bad">unreachable<\/span>/);
    assert.match(page, /<dt>Store<\/dt><dd><span class="ok">reachable<\/span>/);
    const words = page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    assert.match(
      words,
      /portal-degraded 2 2 of 100 1 \d+(\.\d)?s more \(until [\d-]+ [\d:]+Z\) no OAuth tokens stored/,
      'the calls, the window, the 429 and its hold, from the store',
    );
    const asked = Date.now();
    const messages = await fetch(`${down.url}/console/messages`, { headers: { cookie } });
    assert.equal(messages.status, 503);
    assert.ok(
      Date.now() - asked < 12_000,
      `the messages page answered in ${Date.now() - asked} ms: it waits at most 8 s for Temporal`,
    );
    assert.match(await messages.text(), /Temporal is unreachable/);
  });

  it('says plainly that no worker is polling the task queue', async () => {
    const cookie = await signIn(idle.url);
    const page = await (await fetch(`${idle.url}/console`, { headers: { cookie } })).text();
    assert.match(page, /No worker is polling the bridge’s task queue/);
    assert.match(page, /<dt>Temporal<\/dt><dd><span class="ok">reachable<\/span>/);
  });

  it('is off, with a reason, while no admin token is configured', async () => {
    const res = await fetch(`${off.url}/console`, { redirect: 'manual' });
    assert.equal(res.status, 503);
    assert.match(await res.text(), /the console is disabled: set BRIDGE_ADMIN_TOKEN/);
    const login = await fetch(`${off.url}/console/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=anything',
    });
    assert.equal(login.status, 503);
    assert.equal(login.headers.get('set-cookie'), null);
  });
});
