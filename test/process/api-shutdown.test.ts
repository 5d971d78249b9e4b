import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { ManagedChild } from '../../packages/dev-tools/src/local/children.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import {
  exitOf,
  freePorts,
  logLines,
  rawConnection,
  startEntrypointWorld,
  untilRefused,
  untilServing,
  type EntrypointWorld,
} from './entrypoints.js';

/** Starts src/server.ts on a free port with the given grace, and waits until /readyz answers 200. */
async function startApi(
  world: EntrypointWorld,
  graceSeconds: number,
): Promise<{ api: ManagedChild; port: number; url: string }> {
  const [port] = await freePorts(1);
  const url = `http://127.0.0.1:${port}`;
  const api = world.start(`api-grace-${graceSeconds}`, 'packages/bridge/src/server.ts', {
    BRIDGE_API_HOST: '127.0.0.1',
    BRIDGE_API_PORT: String(port),
    BRIDGE_PUBLIC_URL: url,
    BRIDGE_SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
  });
  await untilServing(api, '/readyz 200', async () =>
    (await fetch(`${url}/readyz`)).status === 200 ? true : undefined,
  );
  return { api, port: port!, url };
}

/** A signed webhook whose body is sent only in part: the request is in flight until `finish()`. */
function webhookInFlight(world: EntrypointWorld, port: number) {
  const signed = signedGenericRequest(world.signingSecret, messageCreated({ threadKey: 'drain-chat' }));
  const body = Buffer.from(signed.body);
  const half = Math.floor(body.length / 2);
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: `/webhooks/generic/${world.accountId}`,
    headers: { ...signed.headers, 'content-length': String(body.length) },
    agent: false,
  });
  const answer = new Promise<{ status: number; body: string } | Error>((resolve) => {
    req.once('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', resolve);
    });
    req.once('error', resolve);
  });
  req.flushHeaders();
  req.write(body.subarray(0, half));
  return { answer, finish: () => req.end(body.subarray(half)) };
}

describe('the api process (src/server.ts) on SIGTERM', { timeout: 180_000 }, () => {
  let world: EntrypointWorld;
  before(async () => {
    world = await startEntrypointWorld();
  });
  after(() => world?.close());

  it('turns /readyz 503, refuses new connections, finishes the in-flight webhook with 200, and exits 0 without waiting for idle connections', async () => {
    const { api, port } = await startApi(world, 20);
    const webhook = webhookInFlight(world, port);
    // A probe already connected when SIGTERM arrives: its request head is not complete yet.
    const probe = await rawConnection(port);
    await probe.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // A keep-alive connection between requests, and one that never sent a byte (a proxy's pre-opened pool).
    const keepAlive = await rawConnection(port);
    await keepAlive.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.equal((await keepAlive.response()).status, 200);
    const silent = await rawConnection(port);
    await new Promise((r) => setTimeout(r, 300));
    const exited = exitOf(api);

    const sigterm = Date.now();
    api.process.kill('SIGTERM');
    const refusedAt = await untilRefused(port);
    await probe.write('\r\n');
    const readyz = await probe.response();
    await Promise.all([keepAlive.closed, silent.closed]);
    const idleClosedAt = Date.now();
    // The drain waits for the webhook's body however long it takes, within the grace.
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(api.process.exitCode, null, 'still running while a request is in flight');
    const finishedAt = Date.now();
    webhook.finish();
    const answer = await webhook.answer;
    const exit = await exited;

    assert.equal(readyz.status, 503, `readyz during the drain: ${readyz.body}`);
    assert.deepEqual(JSON.parse(readyz.body), { ok: false, reason: 'shutting down' });
    assert.equal(readyz.headers.connection, 'close');
    assert.ok(!(answer instanceof Error), `the in-flight webhook got an answer: ${String(answer)}`);
    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
    assert.ok(
      exit.at - finishedAt < 2_000,
      `exited ${exit.at - finishedAt} ms after the last request finished, long before the 20 s grace`,
    );
    const [finished] = logLines(api, 'in-flight requests finished');
    assert.equal(finished?.cut, 0);
    console.log(
      `api drain: refused new connections ${refusedAt - sigterm} ms after SIGTERM, idle connections closed by ${idleClosedAt - sigterm} ms, webhook finished at ${finishedAt - sigterm} ms, exited 0 after ${exit.at - sigterm} ms (server closed in ${String(finished?.durationMs)} ms)`,
    );
  });

  it('cuts a request still in flight when the grace is over, and still exits 0 right after it', async () => {
    const { api, port } = await startApi(world, 2);
    const webhook = webhookInFlight(world, port);
    await new Promise((r) => setTimeout(r, 300));
    const exited = exitOf(api);
    const sigterm = Date.now();
    api.process.kill('SIGTERM');
    const exit = await exited;
    const answer = await webhook.answer;

    assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
    const took = exit.at - sigterm;
    assert.ok(took >= 2_000 && took < 4_000, `exited ${took} ms after SIGTERM, just after the 2 s grace`);
    assert.ok(answer instanceof Error, 'the unfinished request was cut');
    const [cut] = logLines(api, 'grace over: cut requests still in flight');
    assert.equal(cut?.cut, 1);
    console.log(`api drain with a stuck request: exited 0 after ${took} ms (grace 2000 ms)`);
  });
});
