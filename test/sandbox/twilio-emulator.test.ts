import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_PHONE_NUMBER,
} from '../../packages/sandbox/src/twilio/app.js';
import { startTwilioWorld, waitFor, type TwilioWorld } from './twilio-world.js';

const SERVICE = `MG${'2b'.repeat(16)}`;
const auth = (token = DEFAULT_AUTH_TOKEN) =>
  `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:${token}`).toString('base64')}`;

describe('the Twilio emulator', () => {
  let world: TwilioWorld;
  const messagesUrl = () => `${world.sandbox.url}/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages.json`;
  const create = (params: Record<string, string | string[]>, token?: string) => {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const one of [v].flat()) form.append(k, one);
    return fetch(messagesUrl(), {
      method: 'POST',
      headers: { authorization: auth(token), 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
  };

  before(async () => {
    world = await startTwilioWorld();
  });
  after(() => world.close());

  it("answers a wrong auth token with 401 and Twilio's error body", async () => {
    const response = await create({ To: '+15557654321', From: DEFAULT_PHONE_NUMBER, Body: 'x' }, 'f'.repeat(32));
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), {
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
  });

  it('creates a message as queued, with a Message resource', async () => {
    const response = await create({ To: '+15557654321', From: DEFAULT_PHONE_NUMBER, Body: 'Hello' });
    assert.equal(response.status, 201);
    const body = (await response.json()) as Record<string, unknown>;
    assert.match(String(body.sid), /^SM[0-9a-f]{32}$/);
    assert.equal(body.status, 'queued');
    assert.equal(body.direction, 'outbound-api');
    assert.equal(body.from, DEFAULT_PHONE_NUMBER);
  });

  it('validates To, From, Body and media count with Twilio codes', async () => {
    const code = async (params: Record<string, string | string[]>) =>
      ((await (await create(params)).json()) as { code: number }).code;
    assert.equal(await code({ To: 'not a number', From: DEFAULT_PHONE_NUMBER, Body: 'x' }), 21211);
    assert.equal(await code({ To: '+15557654321', From: '+14155550100', Body: 'x' }), 21606);
    assert.equal(await code({ To: '+15557654321', Body: 'x' }), 21603);
    assert.equal(await code({ To: '+15557654321', From: DEFAULT_PHONE_NUMBER }), 21602);
    assert.equal(await code({ To: '+15557654321', From: DEFAULT_PHONE_NUMBER, Body: 'x'.repeat(1601) }), 21617);
    assert.equal(
      await code({
        To: '+15557654321',
        From: DEFAULT_PHONE_NUMBER,
        MediaUrl: Array.from({ length: 11 }, (_, i) => `https://x.example/${i}`),
      }),
      21623,
    );
  });

  it('posts status callbacks in order, signed for the StatusCallback URL', async () => {
    const response = await create({
      To: '+15557654321',
      From: DEFAULT_PHONE_NUMBER,
      Body: 'Track me',
      StatusCallback: world.webhookUrl,
    });
    const { sid } = (await response.json()) as { sid: string };
    const mine = () => world.received.filter((r) => r.webhook.body.toString().includes(sid));
    await waitFor('three callbacks', () => (mine().length === 3 ? true : undefined));
    assert.ok(mine().every((r) => r.verified));
    assert.deepEqual(
      mine().map((r) => new URLSearchParams(r.webhook.body.toString()).get('MessageStatus')),
      ['sending', 'sent', 'delivered'],
    );
  });

  it('fails delivery with the error code a recognisable number names', async () => {
    const response = await create({
      To: '+15550130006',
      From: DEFAULT_PHONE_NUMBER,
      Body: 'x',
      StatusCallback: world.webhookUrl,
    });
    const { sid } = (await response.json()) as { sid: string };
    const last = await waitFor('undelivered', () =>
      world.received
        .map((r) => new URLSearchParams(r.webhook.body.toString()))
        .find((p) => p.get('MessageSid') === sid && p.get('MessageStatus') === 'undelivered'),
    );
    assert.equal(last.get('ErrorCode'), '30006');
  });

  it('sends the customer text as a signed form webhook', async () => {
    const answer = await world.customerTexts('+15551230000', 'Is the shop open?');
    assert.equal(answer.status, 201);
    assert.equal(answer.body.webhook, '200');
    const hit = world.received.at(-1)!;
    assert.equal(hit.verified, true);
    assert.equal(hit.webhook.headers['content-type'], 'application/x-www-form-urlencoded');
    const params = new URLSearchParams(hit.webhook.body.toString());
    assert.equal(params.get('SmsMessageSid'), params.get('MessageSid'));
    assert.equal(params.get('To'), DEFAULT_PHONE_NUMBER);
    assert.equal(params.get('NumMedia'), '0');
  });

  it('answers STOP automatically and refuses later replies with 21610 until START', async () => {
    await world.customerTexts('+15551230001', 'Stop');
    const conversation = async () =>
      (await (
        await fetch(`${world.sandbox.url}/_sandbox/twilio/conversation/${encodeURIComponent('+15551230001')}`)
      ).json()) as { optedOut: boolean; messages: { direction: string; body: string }[] };
    const after = await conversation();
    assert.equal(after.optedOut, true);
    assert.match(after.messages.at(-1)!.body, /unsubscribed/);
    const refused = await create({ To: '+15551230001', From: DEFAULT_PHONE_NUMBER, Body: 'x' });
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { code: number }).code, 21610);
    await world.customerTexts('+15551230001', 'START');
    assert.equal((await conversation()).optedOut, false);
    assert.equal((await create({ To: '+15551230001', From: DEFAULT_PHONE_NUMBER, Body: 'x' })).status, 201);
  });

  it('serves MMS media through a redirect, and refuses a wrong token', async () => {
    await world.customerTexts('+15551230002', '', [{ contentType: 'image/png', data: Buffer.from('png bytes') }]);
    const url = new URLSearchParams(world.received.at(-1)!.webhook.body.toString()).get('MediaUrl0')!;
    assert.ok(url.startsWith(`${world.sandbox.url}/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages/MM`));
    const redirect = await fetch(url, { headers: { authorization: auth() }, redirect: 'manual' });
    assert.equal(redirect.status, 307);
    const file = await fetch(new URL(redirect.headers.get('location')!, url));
    assert.equal(file.headers.get('content-type'), 'image/png');
    assert.equal(await file.text(), 'png bytes');
    assert.equal(
      (await fetch(url, { headers: { authorization: auth('f'.repeat(32)) }, redirect: 'manual' })).status,
      401,
    );
  });
});

describe('the Twilio emulator with a Messaging Service', () => {
  let world: TwilioWorld;
  before(async () => {
    world = await startTwilioWorld({ messagingServiceSid: SERVICE });
  });
  after(() => world.close());

  it('adds OptOutType to keyword webhooks (Advanced Opt-Out)', async () => {
    await world.customerTexts('+15551239999', 'help');
    const params = new URLSearchParams(world.received.at(-1)!.webhook.body.toString());
    assert.equal(params.get('OptOutType'), 'HELP');
    assert.equal(params.get('MessagingServiceSid'), SERVICE);
  });

  it('reports queued first for a message sent through the service', async () => {
    const { providerMessageIds } = await world.adapter.send({
      chatId: '+15557654321',
      text: 'via service',
      attachments: [],
    });
    const statuses = () =>
      world.received
        .map((r) => new URLSearchParams(r.webhook.body.toString()))
        .filter((p) => p.get('MessageSid') === providerMessageIds[0])
        .map((p) => p.get('MessageStatus'));
    await waitFor('delivered', () => (statuses().includes('delivered') ? true : undefined));
    assert.deepEqual(statuses(), ['queued', 'sending', 'sent', 'delivered']);
  });
});

describe('the Twilio emulator between runs', () => {
  it('keeps numbers, conversations, opt-outs and files through save and restore', async () => {
    const { createTwilioSandbox, restoreTwilioState, savedTwilioState } =
      await import('../../packages/sandbox/src/twilio/app.js');
    const v8 = await import('node:v8');
    const world = await startTwilioWorld();
    try {
      await world.customerTexts('+15551230100', 'STOP');
      await world.customerTexts('+15551230101', 'pic', [{ contentType: 'image/png', data: Buffer.from('img') }]);
      const saved = v8.deserialize(v8.serialize(savedTwilioState(world.sandbox.state)));
      const next = createTwilioSandbox();
      restoreTwilioState(next.twilio, saved);
      assert.equal(next.twilio.numbers[0]?.smsUrl, world.webhookUrl);
      assert.equal(next.twilio.messages.length, world.sandbox.state.messages.length);
      assert.equal(next.twilio.optedOut.size, 1);
      assert.deepEqual(
        [...next.twilio.media.values()].map((m) => m.bytes.toString()),
        ['img'],
      );
    } finally {
      await world.close();
    }
  });
});
