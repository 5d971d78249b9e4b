import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { waitFor } from '../helpers/temporal.js';
import { oversized, randomBytes, truncated, wronglyEncoded } from './support/bodies.js';
import { applyHeaderChange, headerChanges, headerValue } from './support/headers.js';
import { closeConnections, type HeaderLine } from './support/http.js';
import { mutatedPayload, serialise, type Shape } from './support/json-mutations.js';
import { heapMeter } from './support/memory.js';
import { guardProcess } from './support/process-guard.js';
import { fuzzOptions, fuzzTimeout } from './support/runs.js';
import { Tally } from './support/tally.js';
import { sendCase } from './support/verdict.js';
import { FUZZ_MAX_BODY_BYTES, startFuzzWorld, type FuzzEndpoint, type FuzzWorld } from './support/world.js';

const guard = guardProcess();
const RUNS = 120;

/**
 * Hostile input from someone who does not hold the secret. Every case must be refused with a 4xx and a readable
 * reason, never a 5xx or a crash, and no workflow may start: the count on Temporal stays at zero.
 */
describe('fuzz: unverified requests to every webhook endpoint', { timeout: fuzzTimeout() }, () => {
  let world: FuzzWorld;
  const tally = new Tally();
  const memory = heapMeter();
  before(async () => {
    world = await startFuzzWorld();
  });
  after(async () => {
    tally.print('unverified requests');
    memory.print();
    closeConnections();
    await world?.stop();
  });

  const endpoints = (): FuzzEndpoint[] => [
    world.endpoints.telegram,
    world.endpoints.whatsapp,
    world.endpoints.generic,
    world.endpoints.hubspot,
  ];
  const post = (e: FuzzEndpoint, body: Buffer, headers: readonly HeaderLine[]) =>
    sendCase(world, tally, e.name, { method: 'POST', path: e.path, headers, body }, 'refused');
  const seedText = (e: FuzzEndpoint) => serialise(e.seeds[0]!);

  it('random bytes, with no headers, forged headers or a bare content type', async () => {
    for (const e of endpoints()) {
      await fc.assert(
        fc.asyncProperty(
          randomBytes,
          fc.constantFrom('none', 'forged', 'json'),
          async (body, headers) =>
            void (await post(
              e,
              body,
              headers === 'forged' ? e.forge(body) : headers === 'json' ? [['Content-Type', 'application/json']] : [],
            )),
        ),
        fuzzOptions(RUNS),
      );
    }
    memory.start();
  });

  it('valid bodies cut short, under the signature of the whole body', async () => {
    for (const e of endpoints()) {
      const text = seedText(e);
      const whole = e.sign(Buffer.from(text));
      // Telegram's "signature" is a shared secret, not bound to the body: forge it instead.
      const headers = e === world.endpoints.telegram ? e.forge(Buffer.from(text)) : whole;
      await fc.assert(
        fc.asyncProperty(truncated(text), async (body) => void (await post(e, body, headers))),
        fuzzOptions(RUNS),
      );
    }
  });

  it('oversized bodies, with a Content-Length or chunked', async () => {
    for (const e of endpoints()) {
      const text = seedText(e);
      await fc.assert(
        fc.asyncProperty(oversized(text, FUZZ_MAX_BODY_BYTES), fc.boolean(), async (body, chunked) => {
          const res = await sendCase(
            world,
            tally,
            e.name,
            { method: 'POST', path: e.path, headers: e.forge(body), body, chunked },
            'refused',
          );
          assert.equal(res.status, 413);
        }),
        fuzzOptions(Math.ceil(RUNS / 4)),
      );
    }
  });

  it('wrongly encoded bodies: other charsets, invalid UTF-8, gzip, deflate and brotli', async () => {
    for (const e of endpoints()) {
      await fc.assert(
        fc.asyncProperty(
          fc
            .constantFrom(...e.seeds)
            .chain((seed) => fc.tuple(fc.constant(serialise(seed)), wronglyEncoded(serialise(seed)))),
          fc.boolean(),
          async ([text, encoded], signPlain) => {
            // Either the real signature of the readable body, or a forged one of the bytes sent.
            // (When the encoding changed no byte, the real signature would be valid: forge that one too.)
            const plain = Buffer.from(text);
            const realOfPlain = signPlain && e !== world.endpoints.telegram && !plain.equals(encoded.body);
            const signature = (realOfPlain ? e.sign(plain) : e.forge(encoded.body)).filter(
              ([n]) => n !== 'Content-Type',
            );
            await post(e, encoded.body, [...encoded.headers, ...signature]);
          },
        ),
        fuzzOptions(RUNS),
      );
    }
  });

  it('forged requests with their headers dropped, duplicated, re-cased, garbled, retyped, huge or many', async () => {
    for (const e of endpoints()) {
      await fc.assert(
        fc.asyncProperty(mutatedPayload(e.seeds), headerChanges, async ({ text }, changes) => {
          const body = Buffer.from(text);
          await post(e, body, changes.reduce(applyHeaderChange, e.forge(body)));
        }),
        fuzzOptions(RUNS),
      );
    }
  });

  it('valid-looking payloads with wrong types, nulls, huge strings and deep nesting, under a forged signature', async () => {
    for (const e of endpoints()) {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            mutatedPayload(e.seeds).map(({ text }) => text),
            e.shapes.map((p) => serialise(p as Shape)),
          ),
          async (text) => {
            const body = Buffer.from(text);
            await post(e, body, e.forge(body));
          },
        ),
        fuzzOptions(RUNS),
      );
    }
  });

  it('paths naming unknown providers, accounts and connections', async () => {
    const segment = fc.oneof(
      fc.constantFrom(
        'telegram',
        'whatsapp',
        'generic',
        'hubspot',
        'TELEGRAM',
        'icq',
        '',
        '..',
        '%2e%2e',
        '%00',
        '%E0%A4%A',
        'conn_x',
        'conn_' + 'a'.repeat(300),
      ),
      fc.webSegment(),
      fc.string({ maxLength: 30 }).map(encodeURIComponent),
    );
    await fc.assert(
      fc.asyncProperty(
        segment,
        segment,
        fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'PATCH'),
        async (provider, accountId, method) => {
          const body = Buffer.from(seedText(world.endpoints.generic));
          await sendCase(
            world,
            tally,
            `${method} /webhooks/{random}/{random}`,
            { method, path: `/webhooks/${provider}/${accountId}`, headers: world.endpoints.generic.forge(body), body },
            'refused',
          );
        },
      ),
      fuzzOptions(RUNS),
    );
  });

  it('GET /webhooks/whatsapp/:accountId handshakes without the verify token', async () => {
    const key = fc.constantFrom(
      'hub.mode',
      'hub.verify_token',
      'hub.challenge',
      'hub[mode]',
      'hub[verify_token]',
      'hub[challenge]',
      'hub',
      'hub.mode[]',
      'hub[mode][x]',
    );
    const value = fc.oneof(
      fc.constantFrom(
        'subscribe',
        '',
        'verify',
        `${world.secrets.verifyToken}x`,
        world.secrets.verifyToken.slice(0, -1),
      ),
      headerValue,
      fc.string({ unit: 'binary', maxLength: 50 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 6 }), async (pairs) => {
        const query = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const res = await sendCase(
          world,
          tally,
          'GET /webhooks/whatsapp/:accountId',
          { method: 'GET', path: `${world.endpoints.whatsapp.path}?${query}`, headers: [] },
          'refused',
        );
        assert.equal(res.status, 403);
      }),
      fuzzOptions(RUNS),
    );
  });

  it('started no workflow, with no crash, no unhandled rejection, and bounded memory', async () => {
    assert.equal(await world.workflowsStarted(), 0, 'an unverified request started a workflow');
    assert.deepEqual(guard.fired, []);
    memory.check();
    // The count above can see a start: one properly signed message shows up in it.
    const body = Buffer.from(
      seedText(world.endpoints.generic).replace(/"messageId":"[^"]+"/, '"messageId":"fuzz-control"'),
    );
    const res = await sendCase(
      world,
      tally,
      'control: signed generic message',
      { method: 'POST', path: world.endpoints.generic.path, headers: world.endpoints.generic.sign(body), body },
      'refused-or-acknowledged',
    );
    assert.equal(res.status, 200);
    await waitFor(
      async () => ((await world.workflowsStarted()) >= 1 ? true : undefined),
      20_000,
      'the control workflow in visibility',
    );
    await world.terminateStarted();
  });
});
