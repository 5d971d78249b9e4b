import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { randomBytes, truncated, wronglyEncoded } from './support/bodies.js';
import { applyHeaderChange, headerChanges, headerValue } from './support/headers.js';
import { closeConnections, type FuzzResponse } from './support/http.js';
import { mutatedPayload, serialise, type Shape } from './support/json-mutations.js';
import { heapMeter } from './support/memory.js';
import { guardProcess } from './support/process-guard.js';
import { fuzzOptions, fuzzTimeout } from './support/runs.js';
import { Tally } from './support/tally.js';
import { sendCase } from './support/verdict.js';
import { startFuzzWorld, type FuzzEndpoint, type FuzzWorld } from './support/world.js';

const guard = guardProcess();
const RUNS = 150;

/**
 * Hostile input from the provider itself (or from whoever stole its secret): properly signed requests whose bodies
 * are wrong. Each must get a 4xx with a readable reason or a clean 2xx acknowledgement whose log says what was
 * ignored; never a 5xx or a crash. Every workflow an answer reports as started must exist.
 */
describe('fuzz: properly signed requests with wrong bodies', { timeout: fuzzTimeout() }, () => {
  let world: FuzzWorld;
  const tally = new Tally();
  const memory = heapMeter();
  const started = new Set<string>();
  before(async () => {
    world = await startFuzzWorld();
  });
  after(async () => {
    tally.print('signed requests');
    memory.print();
    closeConnections();
    await world?.terminateStarted();
    await world?.stop();
  });

  const endpoints = (): FuzzEndpoint[] => [
    world.endpoints.telegram,
    world.endpoints.whatsapp,
    world.endpoints.generic,
    world.endpoints.hubspot,
  ];
  const remember = async (res: FuzzResponse) => {
    if (res.status !== 200) return;
    const { accepted } = JSON.parse(res.body.toString('utf8')) as {
      accepted: { workflowId: string; duplicate: boolean }[];
    };
    for (const a of accepted) if (!a.duplicate) started.add(a.workflowId);
  };
  const post = async (e: FuzzEndpoint, body: Buffer, headers = e.sign(body)) =>
    remember(
      await sendCase(world, tally, e.name, { method: 'POST', path: e.path, headers, body }, 'refused-or-acknowledged'),
    );

  it('valid-looking payloads with wrong types, nulls, huge strings and deep nesting', async () => {
    for (const e of endpoints()) {
      await fc.assert(
        fc.asyncProperty(mutatedPayload(e.seeds), async ({ text }) => post(e, Buffer.from(text))),
        fuzzOptions(RUNS * 2),
      );
    }
    memory.start();
  });

  it('payloads built field by field from the wire shapes, with edge values and the odd wrong type', async () => {
    for (const e of endpoints()) {
      await fc.assert(
        fc.asyncProperty(e.shapes, async (payload) => post(e, Buffer.from(serialise(payload as Shape)))),
        fuzzOptions(RUNS),
      );
    }
  });

  it('random bytes', async () => {
    for (const e of endpoints())
      await fc.assert(
        fc.asyncProperty(randomBytes, async (body) => post(e, body)),
        fuzzOptions(RUNS),
      );
  });

  it('valid bodies cut short, signed as sent', async () => {
    for (const e of endpoints()) {
      const bodies = fc.constantFrom(...e.seeds).chain((seed) => truncated(serialise(seed)));
      await fc.assert(
        fc.asyncProperty(bodies, async (body) => post(e, body)),
        fuzzOptions(RUNS),
      );
    }
  });

  it('wrongly encoded bodies, signed as sent', async () => {
    for (const e of endpoints()) {
      const encodings = fc.constantFrom(...e.seeds).chain((seed) => wronglyEncoded(serialise(seed)));
      await fc.assert(
        fc.asyncProperty(encodings, async (encoded) =>
          post(e, encoded.body, [...encoded.headers, ...e.sign(encoded.body).filter(([n]) => n !== 'Content-Type')]),
        ),
        fuzzOptions(RUNS),
      );
    }
  });

  it('signed requests with their headers dropped, duplicated, re-cased, garbled, retyped, huge or many', async () => {
    for (const e of endpoints()) {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...e.seeds), headerChanges, async (seed, changes) => {
          const body = Buffer.from(serialise(seed));
          await post(e, body, changes.reduce(applyHeaderChange, e.sign(body)));
        }),
        fuzzOptions(RUNS),
      );
    }
  });

  it('GET /webhooks/whatsapp/:accountId handshakes with the verify token and any challenge', async () => {
    const challenge = fc.oneof(
      headerValue,
      fc.string({ unit: 'binary', maxLength: 2000 }),
      fc.constantFrom('', '<script>alert(1)</script>', '%00'),
    );
    await fc.assert(
      fc.asyncProperty(challenge, fc.boolean(), async (value, nested) => {
        const q = (k: string) => (nested ? `hub[${k}]` : `hub.${k}`);
        const query = `${q('mode')}=subscribe&${q('verify_token')}=${encodeURIComponent(world.secrets.verifyToken)}&${q('challenge')}=${encodeURIComponent(value)}`;
        const res = await sendCase(
          world,
          tally,
          'GET /webhooks/whatsapp/:accountId',
          { method: 'GET', path: `${world.endpoints.whatsapp.path}?${query}`, headers: [] },
          'refused-or-acknowledged',
        );
        if (res.status === 200) {
          assert.equal(res.body.toString('utf8'), value);
          assert.match(res.contentType, /^text\/plain/, 'the challenge is echoed as text, never as HTML');
        }
      }),
      fuzzOptions(RUNS),
    );
  });

  it('lost nothing it accepted, with no crash, no unhandled rejection, and bounded memory', async () => {
    assert.ok(started.size > 0, 'no case was accepted: the fuzzer never reached the accepting path');
    for (const workflowId of started) {
      const description = await world.client.workflow.getHandle(workflowId).describe();
      assert.equal(description.taskQueue, world.taskQueue, workflowId);
    }
    console.log(`fuzz: signed requests: ${started.size} workflows started, each found on Temporal`);
    assert.deepEqual(guard.fired, []);
    memory.check();
  });
});
