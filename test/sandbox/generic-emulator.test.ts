import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { createGenericAdapter } from '../../packages/bridge/src/providers/generic/index.js';
import type { OutgoingDelivery } from '../../packages/sandbox/src/generic/state.js';
import { GENERIC_SECRET, startGenericEmulator } from '../helpers/generic-emulator.js';
import { genericEventValidator } from '../helpers/generic-schemas.js';
import { startFakeBridge, type CapturedRequest } from '../helpers/generic-fake-bridge.js';

type Captured = CapturedRequest;
const fakeBridge = startFakeBridge;

describe('generic emulator: what it sends to the bridge', () => {
  let bridge: Awaited<ReturnType<typeof fakeBridge>>;
  let emulator: Awaited<ReturnType<typeof startGenericEmulator>>;
  const validate = genericEventValidator();
  const verifyWithReference = (request: Captured) =>
    new Webhook(GENERIC_SECRET).verify(request.body, request.headers as Record<string, string>);

  before(async () => {
    bridge = await fakeBridge();
    emulator = await startGenericEmulator({ bridgeUrl: bridge.inboundUrl });
  });
  after(async () => {
    await emulator.close();
    await bridge.close();
  });
  beforeEach(async () => {
    bridge.requests.length = 0;
    bridge.script.length = 0;
    await emulator.control('/config', { bridgeUrl: bridge.inboundUrl }, 'PUT');
  });
  const send = async (message: unknown) => {
    const res = await emulator.control('/messages?wait=true', message);
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as { messageId: string; delivery: OutgoingDelivery };
  };

  it('sends a text message signed so the reference library verifies it, shaped as the published schema says', async () => {
    const { messageId, delivery } = await send({
      text: 'Hi, where is order 1042?',
      threadKey: 'chat-9',
      sender: { id: 'c-1', name: 'Jane' },
    });
    assert.equal(delivery.outcome, 'delivered');
    const [request] = bridge.requests;
    const payload = verifyWithReference(request!) as {
      type: string;
      data: { messageId: string; text: string; threadKey: string };
    };
    assert.equal(validate(payload), true, JSON.stringify(validate.errors));
    assert.equal(payload.type, 'message.created');
    assert.deepEqual(
      [payload.data.messageId, payload.data.text, payload.data.threadKey],
      [messageId, 'Hi, where is order 1042?', 'chat-9'],
    );
    assert.equal(request!.headers['webhook-id'], delivery.webhookId);
  });

  it('serves its attachments by URL, and sends small ones inline when asked', async () => {
    const voice = Buffer.from('OggS fake voice note');
    const sticker = Buffer.from('RIFF fake webp');
    await send({
      attachments: [
        { kind: 'voice', contentType: 'audio/ogg', durationSec: 2, dataBase64: voice.toString('base64') },
        {
          kind: 'sticker',
          contentType: 'image/webp',
          filename: 'wave.webp',
          dataBase64: sticker.toString('base64'),
          inline: true,
        },
      ],
    });
    const payload = verifyWithReference(bridge.requests[0]!) as {
      data: { attachments: { url?: string; dataBase64?: string; kind: string }[] };
    };
    assert.equal(validate(payload), true, JSON.stringify(validate.errors));
    const [byUrl, inline] = payload.data.attachments;
    assert.match(byUrl!.url!, new RegExp(`^${emulator.url}/_sandbox/generic/media/`));
    const downloaded = await fetch(byUrl!.url!);
    assert.equal(downloaded.headers.get('content-type'), 'audio/ogg');
    assert.deepEqual(Buffer.from(await downloaded.arrayBuffer()), voice);
    assert.equal(inline!.dataBase64, sticker.toString('base64'));
  });

  it('serves media that the adapter can fetch (with the loopback allow-list) and refuses without it', async () => {
    const image = Buffer.from('\x89PNG fake image');
    await send({ attachments: [{ kind: 'image', contentType: 'image/png', dataBase64: image.toString('base64') }] });
    const payload = JSON.parse(bridge.requests[0]!.body) as { data: { attachments: { url: string }[] } };
    const media = { kind: 'image' as const, ref: payload.data.attachments[0]!.url };
    const allowed = createGenericAdapter(
      { accountId: asAccountId('555'), signingSecret: GENERIC_SECRET },
      { allowPrivateHosts: ['127.0.0.1'] },
    );
    const blob = await allowed.fetchMedia(media);
    assert.deepEqual(Buffer.from(await new Response(blob.body).arrayBuffer()), image);
    await assert.rejects(
      createGenericAdapter({ accountId: asAccountId('555'), signingSecret: GENERIC_SECRET }).fetchMedia(media),
      /loopback address/,
    );
  });

  it('retries a non-2xx answer with the same webhook-id, a fresh signature each time, until a 2xx', async () => {
    bridge.script.push({ status: 500 }, { status: 503 });
    const { delivery } = await send({ text: 'retry me' });
    assert.equal(delivery.outcome, 'delivered');
    assert.deepEqual(
      delivery.attempts.map((a) => a.status),
      [500, 503, 200],
    );
    assert.equal(new Set(bridge.requests.map((r) => r.headers['webhook-id'])).size, 1);
    for (const request of bridge.requests) verifyWithReference(request);
  });

  it('honours Retry-After between attempts', async () => {
    bridge.script.push({ status: 429, headers: { 'retry-after': '1' } });
    const { delivery } = await send({ text: 'slow down' });
    assert.equal(delivery.outcome, 'delivered');
    assert.equal(delivery.attempts[0]?.retryAfterSeconds, 1);
    const [first, second] = bridge.requests;
    assert.ok(second!.at - first!.at >= 900, `waited ${second!.at - first!.at} ms`);
  });

  it('gives up after a bounded number of attempts', async () => {
    bridge.script.push(...Array.from({ length: 10 }, () => ({ status: 500 })));
    const { delivery } = await send({ text: 'never lands' });
    assert.equal(delivery.outcome, 'gave-up');
    assert.equal(delivery.attempts.length, 4);
  });

  it('stops sending after a 410 until it is reconnected', async () => {
    bridge.script.push({ status: 410 });
    const { delivery } = await send({ text: 'are you there?' });
    assert.equal(delivery.outcome, 'disabled');
    assert.equal(bridge.requests.length, 1);
    const refused = await emulator.control('/messages?wait=true', { text: 'hello again' });
    assert.equal(refused.status, 409);
    assert.match(((await refused.json()) as { error: string }).error, /410 Gone earlier/);
    assert.equal(bridge.requests.length, 1);
  });

  it('sends receipts (message.status) that verify and match the schema', async () => {
    const res = await emulator.control('/statuses', {
      messageId: 'conn-3',
      status: 'failed',
      error: { code: 'blocked', message: 'The customer blocked this number' },
    });
    assert.equal(res.status, 200);
    const payload = verifyWithReference(bridge.requests[0]!) as { type: string; timestamp: string; data: unknown };
    assert.equal(validate(payload), true, JSON.stringify(validate.errors));
    assert.deepEqual(payload, {
      type: 'message.status',
      timestamp: payload.timestamp,
      data: {
        messageId: 'conn-3',
        status: 'failed',
        error: { code: 'blocked', message: 'The customer blocked this number' },
      },
    });
  });

  const refusals: [string, unknown, RegExp][] = [
    ['a message with nothing in it', { text: ' ' }, /needs text, an attachment, a location or a contact/],
    [
      'an unknown media kind',
      { attachments: [{ kind: 'hologram', contentType: 'x/y', dataBase64: 'AA==' }] },
      /kind: Invalid enum value/,
    ],
    [
      'an inline file over 256 KiB',
      {
        attachments: [
          {
            kind: 'file',
            contentType: 'application/pdf',
            dataBase64: Buffer.alloc(300_000).toString('base64'),
            inline: true,
          },
        ],
      },
      /inline attachments are limited to 262144/,
    ],
    ['a bad receipt status', undefined, /status: Invalid enum value/],
  ];
  for (const [name, body, reason] of refusals) {
    it(`answers 400 with a reason for ${name}, sending nothing`, async () => {
      const res =
        body === undefined
          ? await emulator.control('/statuses', { messageId: 'x', status: 'seen' })
          : await emulator.control('/messages?wait=true', body);
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { error: string }).error, reason);
      assert.equal(bridge.requests.length, 0);
    });
  }
});

describe('generic emulator: its receiver (the callbackUrl)', () => {
  let bridge: Awaited<ReturnType<typeof fakeBridge>>;
  let emulator: Awaited<ReturnType<typeof startGenericEmulator>>;
  before(async () => {
    bridge = await fakeBridge();
    emulator = await startGenericEmulator({ bridgeUrl: bridge.inboundUrl, autoReceipts: ['delivered', 'read'] });
  });
  after(async () => {
    await emulator.close();
    await bridge.close();
  });

  const post = (headers: Record<string, string>, body: string) =>
    fetch(emulator.callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const signed = (payload: unknown, id = `msg_${Math.random().toString(36).slice(2)}`) => {
    const body = JSON.stringify(payload);
    const at = new Date();
    return {
      body,
      headers: {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(GENERIC_SECRET).sign(id, at, body),
      },
    };
  };
  const reply = {
    type: 'message.created',
    timestamp: new Date().toISOString(),
    data: {
      messageId: 'msg_1',
      threadKey: 'chat-9',
      sender: { id: 'bridge:555' },
      text: 'Hello from HubSpot',
      sentAt: new Date().toISOString(),
    },
  };

  it('accepts a reply signed by the reference library, answers {messageId}, and sends delivered then read receipts', async () => {
    const request = signed(reply);
    const res = await post(request.headers, request.body);
    assert.equal(res.status, 200);
    const { messageId } = (await res.json()) as { messageId: string };
    for (let i = 0; i < 100 && bridge.requests.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    const statuses = bridge.requests.map(
      (r) => (JSON.parse(r.body) as { data: { messageId: string; status: string } }).data,
    );
    assert.deepEqual(statuses, [
      { messageId, status: 'delivered' },
      { messageId, status: 'read' },
    ]);
  });

  it('refuses a bad signature with 401 and records it', async () => {
    const request = signed(reply);
    const res = await post({ ...request.headers, 'webhook-signature': 'v1,AAAA' }, request.body);
    assert.equal(res.status, 401);
    const { events } = (await (await emulator.control('/received')).json()) as {
      events: { answered: number; verified: boolean }[];
    };
    assert.deepEqual(events.at(-1), { ...events.at(-1), answered: 401, verified: false });
  });

  it('refuses a verified body that breaks the contract with 400', async () => {
    const request = signed({ ...reply, data: { ...reply.data, sender: undefined } });
    const res = await post(request.headers, request.body);
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /sender: Required/);
  });

  it('answers injected faults in order, then accepts; a redelivery of the same webhook-id is not recorded twice', async () => {
    await emulator.control('/faults', { status: 429, retryAfterSeconds: 3 });
    await emulator.control('/faults', { status: 500, times: 2 });
    const request = signed(reply, 'msg_fault_test');
    const answers: [number, string | null][] = [];
    for (let i = 0; i < 5; i++) {
      const res = await post(request.headers, request.body);
      answers.push([res.status, res.headers.get('retry-after')]);
    }
    assert.deepEqual(answers, [
      [429, '3'],
      [500, null],
      [500, null],
      [200, null],
      [200, null],
    ]);
    const { events } = (await (await emulator.control('/received')).json()) as {
      events: { webhookId: string; duplicate: boolean; answered: number }[];
    };
    const mine = events.filter((e) => e.webhookId === 'msg_fault_test');
    assert.deepEqual(
      mine.map((e) => [e.answered, e.duplicate]),
      [
        [429, false],
        [500, false],
        [500, false],
        [200, false],
        [200, true],
      ],
    );
  });

  it('refuses a fault that is not a non-2xx status', async () => {
    const res = await emulator.control('/faults', { status: 200 });
    assert.equal(res.status, 400);
  });
});
