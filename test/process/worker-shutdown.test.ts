import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { stopChild, freePort } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import type { ManagedChild } from '../../packages/dev-tools/src/local/children.js';
import { addFault } from '../../packages/sandbox/src/hubspot/faults.js';
import { FORCE_AFTER_GRACE_MS } from '../../packages/bridge/src/temporal/worker.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { connectClient } from '../helpers/temporal.js';
import { exitOf, logLines, startEntrypointWorld, untilServing, type EntrypointWorld } from './entrypoints.js';

type Probe = { status: number; body: { ok: boolean; state: string; reason?: string } };
const probe = async (url: string): Promise<Probe> => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Probe['body'] };
};

describe('the worker process (src/worker.ts) on SIGTERM', { timeout: 180_000 }, () => {
  let world: EntrypointWorld;
  let client: Client;
  let closeClient: () => Promise<void>;
  let apiUrl: string;
  before(async () => {
    world = await startEntrypointWorld();
    ({ client, close: closeClient } = await connectClient());
    const apiPort = await freePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    const api = world.start('api', 'packages/bridge/src/server.ts', {
      BRIDGE_API_HOST: '127.0.0.1',
      BRIDGE_API_PORT: String(apiPort),
      BRIDGE_PUBLIC_URL: apiUrl,
    });
    await untilServing(api, '/readyz 200', async () => ((await fetch(`${apiUrl}/readyz`)).ok ? true : undefined));
  });
  after(async () => {
    await closeClient?.();
    await world?.close();
  });

  /** A worker with its health endpoint, once its /readyz says it polls. */
  async function startWorker(name: string, graceSeconds: number): Promise<{ worker: ManagedChild; healthUrl: string }> {
    const healthUrl = `http://127.0.0.1:${await freePort()}`;
    const worker = world.start(name, 'packages/bridge/src/worker.ts', {
      BRIDGE_WORKER_HEALTH_PORT: new URL(healthUrl).port,
      BRIDGE_SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
    });
    const ready = await untilServing(worker, '/readyz 200', async () => {
      const answer = await probe(`${healthUrl}/readyz`);
      return answer.status === 200 ? answer : undefined;
    });
    assert.deepEqual(ready.body, { ok: true, state: 'RUNNING' });
    return { worker, healthUrl };
  }

  /**
   * Sends a customer's message through the api while HubSpot holds its publish `publishMs`; resolves once the publish
   * is held.
   */
  /**
   * A message whose publish takes `publishMs`. `durable`: HubSpot first answers 503 to the one step (docs/INBOUND.md,
   * "One step"), so the slow publish is the durable `publishInboundMessage` activity; otherwise it is the one step's.
   */
  async function sendWithSlowPublish(
    publishMs: number,
    { durable }: { durable: boolean },
  ): Promise<{ workflowId: string; publishStarted: number }> {
    const publishPath = `/custom-channels/${world.sandbox.channelId}/messages`;
    if (durable)
      addFault(world.sandbox.state, {
        kind: 'status',
        status: 503,
        method: 'POST',
        pathContains: publishPath,
        count: 1,
      });
    const slowPublish = addFault(world.sandbox.state, {
      kind: 'latency',
      latencyMs: publishMs,
      method: 'POST',
      pathContains: publishPath,
      count: 1,
    });
    const payload = messageCreated({ threadKey: 'drain-chat', text: 'sent while the worker drains' });
    const signed = signedGenericRequest(world.signingSecret, payload);
    const accepted = await fetch(`${apiUrl}/webhooks/generic/${world.accountId}`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    assert.equal(accepted.status, 200, await accepted.text());
    const deadline = Date.now() + 30_000;
    while (slowPublish.hits === 0) {
      if (Date.now() > deadline) throw new Error('the publish never reached the sandbox');
      await new Promise((r) => setTimeout(r, 20));
    }
    return { workflowId: `inbound:${world.accountId}:${payload.data.messageId}`, publishStarted: Date.now() };
  }

  const publishedCopies = (workflowId: string) =>
    [...world.sandbox.state.messages.values()].filter((m) => m.integrationIdempotencyId === workflowId).length;

  it('stops polling, turns /readyz 503, lets the slow publish in flight finish in the same attempt, and exits 0', async () => {
    const PUBLISH_MS = 4_000;
    const GRACE_SECONDS = 20;
    const { worker, healthUrl } = await startWorker('worker', GRACE_SECONDS);
    const { workflowId, publishStarted } = await sendWithSlowPublish(PUBLISH_MS, { durable: true });

    const exited = exitOf(worker);
    const sigterm = Date.now();
    worker.process.kill('SIGTERM');
    // Probes from SIGTERM until the process is gone; the first may land before the signal is handled.
    const probes: (Probe & { at: number })[] = [];
    for (let done = false; !done;) {
      const answer = await probe(`${healthUrl}/readyz`).catch(() => undefined);
      if (answer) probes.push({ ...answer, at: Date.now() });
      done = !answer && worker.process.exitCode !== null;
      await new Promise((r) => setTimeout(r, 100));
    }
    const exit = await exited;
    const drainMs = exit.at - sigterm;
    const firstUnready = probes.findIndex((a) => a.status === 503);
    const duringDrain = probes.slice(firstUnready);

    assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
    assert.ok(
      firstUnready >= 0 && probes[firstUnready]!.at - sigterm < 1_000,
      `readyz turned 503 at once: ${JSON.stringify(probes.map((a) => [a.status, a.at - sigterm]))}`,
    );
    assert.ok(
      duringDrain.every((a) => a.status === 503),
      `and stayed 503 until the exit: ${JSON.stringify(probes.map((a) => a.status))}`,
    );
    assert.deepEqual(duringDrain[0]!.body, { ok: false, state: 'DRAINING', reason: 'draining' });
    assert.ok(
      exit.at - publishStarted >= PUBLISH_MS - 200,
      `it waited for the publish (${exit.at - publishStarted} ms after it began)`,
    );
    assert.ok(drainMs < GRACE_SECONDS * 1000, `drained in ${drainMs} ms, inside the ${GRACE_SECONDS} s grace`);
    assert.equal(publishedCopies(workflowId), 1, 'the publish finished before the worker exited');
    const [stopped] = logLines(worker, 'worker stopped');
    assert.equal(typeof stopped?.drainMs, 'number');

    // Another worker finishes the workflow: the draining one no longer polled for its next workflow task.
    const { worker: second } = await startWorker('worker-2', GRACE_SECONDS);
    await client.workflow.getHandle(workflowId).result();
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const scheduled = events.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'publishInboundMessage',
    );
    assert.equal(scheduled.length, 1, 'the publish was scheduled once');
    const scheduledId = scheduled[0]!.eventId!.toString();
    const started = events.filter(
      (e) => e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === scheduledId,
    );
    assert.equal(started.length, 1);
    const attempt = started[0]!.activityTaskStartedEventAttributes!;
    assert.equal(attempt.attempt, 1, 'one attempt: no retry after a heartbeat timeout or a cancellation');
    assert.equal(attempt.identity?.split('@')[0], String(worker.process.pid), 'the draining worker completed it');
    assert.ok(
      events.some((e) => e.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() === scheduledId),
      'the publish completed',
    );
    assert.equal(
      events.filter((e) => e.activityTaskTimedOutEventAttributes || e.activityTaskFailedEventAttributes).length,
      0,
      'no activity timed out or failed',
    );
    assert.equal(publishedCopies(workflowId), 1, 'exactly once in the inbox');

    // An idle worker drains at once.
    const secondExit = exitOf(second);
    const idleSigterm = Date.now();
    second.process.kill('SIGTERM');
    const idle = await secondExit;
    assert.deepEqual({ code: idle.code, signal: idle.signal }, { code: 0, signal: null });
    console.log(
      `worker drain: SIGTERM ${sigterm - publishStarted} ms into a ${PUBLISH_MS} ms publish; /readyz 503 from ${probes[firstUnready]!.at - sigterm} ms (${duringDrain.length} probes); ` +
        `exited 0 after ${drainMs} ms (worker's own count ${String(stopped?.drainMs)} ms); an idle worker exited 0 after ${idle.at - idleSigterm} ms`,
    );
  });

  it('gives up on a publish that ignores its cancellation once the grace and the force margin are over, and still exits 0', async () => {
    const GRACE_SECONDS = 1;
    const PUBLISH_MS = GRACE_SECONDS * 1000 + FORCE_AFTER_GRACE_MS + 6_000;
    const { worker } = await startWorker('worker-short-grace', GRACE_SECONDS);
    await sendWithSlowPublish(PUBLISH_MS, { durable: true });
    const exited = exitOf(worker);
    const sigterm = Date.now();
    worker.process.kill('SIGTERM');
    const exit = await exited;
    const took = exit.at - sigterm;

    assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
    const bound = GRACE_SECONDS * 1000 + FORCE_AFTER_GRACE_MS;
    assert.ok(
      took >= bound - 200 && took < bound + 2_000,
      `exited ${took} ms after SIGTERM: the ${bound} ms bound, not the ${PUBLISH_MS} ms publish`,
    );
    assert.equal(logLines(worker, 'grace over: left behind activities that ignored their cancellation').length, 1);
    console.log(`worker with a 1 s grace and a ${PUBLISH_MS} ms publish: exited 0 after ${took} ms`);
  });

  it('stopped during the one step, exits 0 within the grace, and the next worker publishes the message exactly once', async () => {
    const GRACE_SECONDS = 1;
    const PUBLISH_MS = 3_000;
    const { worker } = await startWorker('worker-one-step', GRACE_SECONDS);
    const { workflowId } = await sendWithSlowPublish(PUBLISH_MS, { durable: false });
    const exited = exitOf(worker);
    const sigterm = Date.now();
    worker.process.kill('SIGTERM');
    const exit = await exited;
    assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
    const took = exit.at - sigterm;
    assert.ok(took < GRACE_SECONDS * 1000 + FORCE_AFTER_GRACE_MS + 2_000, `exited ${took} ms after SIGTERM`);

    // Whatever the stopped worker left (its workflow task, its local activity), the next one finishes it: the one step
    // runs again under the same integrationIdempotencyId, so HubSpot keeps one message.
    const { worker: next } = await startWorker('worker-one-step-2', GRACE_SECONDS);
    await client.workflow.getHandle(workflowId).result();
    assert.equal(publishedCopies(workflowId), 1, 'exactly once in the inbox');
    const nextExit = exitOf(next);
    next.process.kill('SIGTERM');
    assert.equal((await nextExit).code, 0);
    console.log(`worker stopped ${took} ms into a ${PUBLISH_MS} ms one-step publish: exited 0; published once`);
  });

  it('answers /readyz 503 "starting" until the worker polls, on its own server with /metrics off', async () => {
    // A Temporal address that accepts connections and never answers: the worker stays in its start-up.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const healthUrl = `http://127.0.0.1:${await freePort()}`;
    const worker = world.start('worker-starting', 'packages/bridge/src/worker.ts', {
      BRIDGE_WORKER_HEALTH_PORT: new URL(healthUrl).port,
      BRIDGE_WORKER_METRICS_PORT: '0',
      TEMPORAL_ADDRESS: `127.0.0.1:${(silent.address() as AddressInfo).port}`,
    });
    try {
      const starting = await untilServing(worker, '/readyz', () => probe(`${healthUrl}/readyz`));
      assert.equal(starting.status, 503);
      assert.deepEqual(starting.body, { ok: false, state: 'CREATING', reason: 'starting' });
      assert.equal((await fetch(`${healthUrl}/healthz`)).status, 200);
      assert.equal((await fetch(`${healthUrl}/metrics`)).status, 404);
    } finally {
      await stopChild(worker.process, 2_000, 'SIGKILL');
      silent.close();
    }
  });
});
