import assert from 'node:assert/strict';
import { randomBytes as cryptoBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import fc from 'fast-check';
import { MAX_REASON_CHARS } from '../../packages/bridge/src/api/http-error.js';
import { asAccountId, inboundWorkflowId } from '../../packages/bridge/src/domain/ids.js';
import { hubSpotSignatureV3, verifyHubSpotSignatureV3 } from '../../packages/bridge/src/hubspot/signature.js';
import { signStandardWebhook } from '../../packages/bridge/src/providers/generic/verify.js';
import { adapterFor } from '../../packages/bridge/src/providers/registry.js';
import {
  InvalidPayloadError,
  type InboundEvent,
  type ProviderAdapter,
  type RawWebhook,
} from '../../packages/bridge/src/providers/types.js';
import { signHubSignature } from '../../packages/bridge/src/providers/whatsapp/verify.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { randomBytes } from './support/bodies.js';
import { headerValue } from './support/headers.js';
import { mutatedPayload, serialise, type Shape } from './support/json-mutations.js';
import { guardProcess } from './support/process-guard.js';
import { fuzzOptions, fuzzTimeout, runsOf } from './support/runs.js';
import { genericWebhook, telegramUpdate, whatsappWebhook } from './support/shapes.js';
import { genericSeeds, telegramSeeds, WHATSAPP_PHONE_NUMBER_ID, whatsappSeeds } from './support/seeds.js';

const guard = guardProcess();
const RUNS = 1000;
let cases = 0;

const account = (
  provider: AccountWithCredentials['provider'],
  credentials: Record<string, string>,
): AccountWithCredentials => ({
  accountId: asAccountId('424242'),
  portalId: '1',
  channelId: '1',
  provider,
  name: provider,
  deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'x' },
  authorized: true,
  credentials,
});
const SECRETS = {
  telegram: 'tg-secret_1',
  whatsapp: 'app-secret',
  generic: `whsec_${cryptoBytes(24).toString('base64')}`,
  verifyToken: 'verify-me',
};
const adapters: {
  name: string;
  adapter: ProviderAdapter;
  seeds: Shape[];
  shapes: fc.Arbitrary<unknown>;
  sign: (body: Buffer) => RawWebhook['headers'];
}[] = [
  {
    name: 'telegram',
    adapter: adapterFor(account('telegram', { botToken: '1:x', secretToken: SECRETS.telegram })),
    seeds: telegramSeeds(),
    shapes: telegramUpdate,
    sign: () => ({ 'x-telegram-bot-api-secret-token': SECRETS.telegram }),
  },
  {
    name: 'whatsapp',
    adapter: adapterFor(
      account('whatsapp', {
        phoneNumberId: WHATSAPP_PHONE_NUMBER_ID,
        accessToken: 'x',
        appSecret: SECRETS.whatsapp,
        verifyToken: SECRETS.verifyToken,
      }),
    ),
    seeds: whatsappSeeds(),
    shapes: whatsappWebhook,
    sign: (body) => ({ 'x-hub-signature-256': signHubSignature(SECRETS.whatsapp, body) }),
  },
  {
    name: 'generic',
    adapter: adapterFor(account('generic', { signingSecret: SECRETS.generic })),
    seeds: genericSeeds(),
    shapes: genericWebhook,
    sign: (body) => {
      const at = Math.floor(Date.now() / 1000);
      return {
        'webhook-id': 'msg_1',
        'webhook-timestamp': String(at),
        'webhook-signature': signStandardWebhook(SECRETS.generic, 'msg_1', at, body),
      };
    },
  },
];

/** Headers as Node hands them to the api: lower-case names, a string or (for repeated ones) an array of strings. */
const headers: fc.Arbitrary<RawWebhook['headers']> = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'x-telegram-bot-api-secret-token',
      'x-hub-signature-256',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
      'content-type',
    ),
    fc.string({ maxLength: 10 }),
  ),
  fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 }), fc.constant(undefined)),
);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What the api needs from any event normalise returns: ids Temporal takes, a date a Date holds, an input Temporal can
 * carry.
 */
function checkEvent(event: InboundEvent): void {
  if (event.kind === 'ignored') return assert.ok(typeof event.reason === 'string' && event.reason.length > 0);
  if (event.kind === 'receipt')
    return assert.ok(
      typeof event.providerMessageId === 'string' && ['sent', 'delivered', 'read', 'failed'].includes(event.status),
    );
  const m = event.message;
  const workflowId = inboundWorkflowId(m.accountId, m.providerMessageId);
  assert.ok(
    workflowId.length <= 1000 && !LONE_SURROGATE.test(workflowId),
    `a workflow id Temporal refuses: ${workflowId.slice(0, 80)}…`,
  );
  assert.ok(
    !LONE_SURROGATE.test(m.conversationKey) && m.conversationKey.length <= 1000,
    'a conversation key Temporal refuses',
  );
  assert.equal(new Date(m.sentAt).toISOString(), m.sentAt, 'sentAt is not an ISO date');
  assert.ok(Array.isArray(m.media) && typeof m.text === 'string');
  defaultPayloadConverter.toPayload(m);
}

/** normalise returns events that hold up, or throws InvalidPayloadError with a readable reason; nothing else. */
function normaliseHoldsUp(adapter: ProviderAdapter, body: Buffer): void {
  cases += 1;
  let events: InboundEvent[];
  try {
    events = adapter.normalise({ headers: {}, body });
  } catch (error) {
    assert.ok(
      error instanceof InvalidPayloadError,
      `normalise threw ${(error as Error)?.name}: ${(error as Error)?.message}`,
    );
    assert.ok(
      error.reason.length > 0 && error.reason.length <= MAX_REASON_CHARS,
      `a reason of ${error.reason.length} characters`,
    );
    return;
  }
  assert.ok(Array.isArray(events));
  events.forEach(checkEvent);
}

describe(
  'fuzz: provider adapters, HubSpot signature and the generic schema, called directly',
  { timeout: fuzzTimeout() },
  () => {
    for (const { name, adapter, seeds, shapes, sign } of adapters) {
      it(`${name}: verify never throws and accepts only the real signature`, () => {
        fc.assert(
          fc.property(randomBytes, headers, (body, hs) => {
            cases += 1;
            const result = adapter.verify({ headers: hs, body });
            assert.equal(result.ok, false);
            assert.ok(!result.ok && result.reason.length > 0);
          }),
          fuzzOptions(RUNS),
        );
        fc.assert(
          fc.property(
            randomBytes,
            (body) => void ((cases += 1), assert.equal(adapter.verify({ headers: sign(body), body }).ok, true)),
          ),
          fuzzOptions(RUNS / 10),
        );
      });

      it(`${name}: normalise of random bytes, cut-short and mutated payloads, and payloads built from the wire shapes`, () => {
        fc.assert(
          fc.property(randomBytes, (body) => normaliseHoldsUp(adapter, body)),
          fuzzOptions(RUNS),
        );
        fc.assert(
          fc.property(mutatedPayload(seeds), ({ text }) => normaliseHoldsUp(adapter, Buffer.from(text))),
          fuzzOptions(RUNS),
        );
        fc.assert(
          fc.property(shapes, (payload) => normaliseHoldsUp(adapter, Buffer.from(serialise(payload as Shape)))),
          fuzzOptions(RUNS),
        );
        const cut = fc.constantFrom(...seeds).chain((seed) => {
          const text = serialise(seed);
          return fc.nat({ max: text.length }).map((n) => text.slice(0, n));
        });
        fc.assert(
          fc.property(cut, (text) => normaliseHoldsUp(adapter, Buffer.from(text))),
          fuzzOptions(RUNS),
        );
      });
    }

    it('whatsapp: the GET handshake answers only the right verify token, whatever the query holds', () => {
      const { adapter } = adapters[1]!;
      const value = fc.oneof(
        fc.string(),
        fc.array(fc.string(), { maxLength: 3 }),
        fc.object({ maxDepth: 2 }),
        fc.constant(SECRETS.verifyToken),
        fc.constant('subscribe'),
      );
      const query = fc.dictionary(
        fc.constantFrom('hub.mode', 'hub.verify_token', 'hub.challenge', 'hub', '__proto__', 'toString'),
        value,
      );
      fc.assert(
        fc.property(query, (q) => {
          cases += 1;
          const answer = adapter.handshake!(q);
          if (answer.ok) assert.ok(answer.body.length > 0 && JSON.stringify(q).includes(SECRETS.verifyToken));
        }),
        fuzzOptions(RUNS),
      );
    });

    it('HubSpot signature v3 never throws and accepts only the real signature within five minutes', () => {
      const url = 'https://bridge.example.com/webhooks/hubspot';
      const now = Date.now();
      fc.assert(
        fc.property(
          randomBytes,
          fc.option(headerValue, { nil: undefined }),
          fc.option(fc.oneof(headerValue, fc.integer().map(String), fc.constant(String(now))), { nil: undefined }),
          (body, signature, timestamp) => {
            cases += 1;
            const result = verifyHubSpotSignatureV3(
              'client-secret',
              { method: 'POST', url, rawBody: body, signature, timestamp },
              now,
            );
            assert.equal(result.ok, false);
          },
        ),
        fuzzOptions(RUNS),
      );
      fc.assert(
        fc.property(randomBytes, fc.integer({ min: -299_000, max: 299_000 }), (body, skew) => {
          cases += 1;
          const timestamp = String(now + skew);
          const signature = hubSpotSignatureV3('client-secret', 'POST', url, body, timestamp);
          assert.equal(
            verifyHubSpotSignatureV3('client-secret', { method: 'POST', url, rawBody: body, signature, timestamp }, now)
              .ok,
            true,
          );
        }),
        fuzzOptions(RUNS / 10),
      );
    });

    it('ran with no unhandled rejection or uncaught exception', () => {
      console.log(`fuzz: parsers: ${cases} cases (${runsOf(RUNS)} per property)`);
      assert.deepEqual(guard.fired, []);
    });
  },
);
