import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { createTwilioAdapter } from '../../packages/bridge/src/providers/twilio/index.js';
import { ProviderError, type InboundEvent, type RawWebhook } from '../../packages/bridge/src/providers/types.js';
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_PHONE_NUMBER,
  startTwilioSandbox,
} from '../../packages/sandbox/src/twilio/app.js';

/** A stand-in for the bridge's webhook route: keeps each webhook as it arrived. */
async function startReceiver() {
  const received: RawWebhook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'text/xml' }).end('<Response/>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/webhooks/twilio/acct-1`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(check(), `timed out waiting for ${what}`);
};

describe('Twilio send against the emulator', () => {
  let sandbox: Awaited<ReturnType<typeof startTwilioSandbox>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let adapter: ReturnType<typeof createTwilioAdapter>;
  const events = () =>
    receiver.received.flatMap((w) =>
      adapter.verify(w).ok
        ? adapter.normalise(w)
        : [{ kind: 'ignored', code: 'bad-signature', reason: '' } as InboundEvent],
    );

  before(async () => {
    receiver = await startReceiver();
    sandbox = await startTwilioSandbox({ statusDelayMs: 5, webhookUrl: receiver.url });
    adapter = createTwilioAdapter(
      {
        accountId: asAccountId('acct-1'),
        accountSid: DEFAULT_ACCOUNT_SID,
        authToken: DEFAULT_AUTH_TOKEN,
        sender: DEFAULT_PHONE_NUMBER,
        webhookUrl: receiver.url,
        apiBaseUrl: sandbox.url,
      },
      { fetch },
    );
  });
  after(async () => {
    await sandbox.close();
    await receiver.close();
  });

  it('sends a text and gets signed status callbacks sent then delivered', async () => {
    const { providerMessageIds } = await adapter.send({
      chatId: '+15557654321',
      text: 'Your order shipped',
      attachments: [],
    });
    assert.equal(providerMessageIds.length, 1);
    const [sid] = providerMessageIds;
    assert.match(sid!, /^SM[0-9a-f]{32}$/);
    const receipts = () => events().filter((e) => e.kind === 'receipt' && e.providerMessageId === sid);
    await until(() => receipts().length === 2, 'two receipts');
    assert.deepEqual(
      receipts().map((e) => (e as { status: string }).status),
      ['sent', 'delivered'],
    );
    assert.equal(sandbox.state.messages.find((m) => m.sid === sid)?.body, 'Your order shipped');
  });

  it('splits a text over 1600 characters into two messages', async () => {
    const { providerMessageIds } = await adapter.send({
      chatId: '+15557654321',
      text: `${'a'.repeat(1000)} ${'b'.repeat(1000)}`,
      attachments: [],
    });
    assert.equal(providerMessageIds.length, 2);
  });

  it('reports a carrier failure as a failed receipt with its reason', async () => {
    const { providerMessageIds } = await adapter.send({ chatId: '+15550130007', text: 'hello', attachments: [] });
    const failed = () =>
      events().find(
        (e) => e.kind === 'receipt' && e.providerMessageId === providerMessageIds[0] && e.status === 'failed',
      );
    await until(() => failed() !== undefined, 'a failed receipt');
    assert.match(
      (failed() as { reason: string }).reason,
      /filtered the message \(spam filtering or an unregistered sender\) \(Twilio error 30007\)/,
    );
  });

  it('refuses, without retry, a reply to a customer who texted STOP, until they text START', async () => {
    const customer = '+15559990000';
    const stop = await fetch(`${sandbox.url}/_sandbox/twilio/customer/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: customer, body: 'STOP' }),
    });
    assert.equal(stop.status, 201);
    await assert.rejects(adapter.send({ chatId: customer, text: 'Are you there?', attachments: [] }), (e: unknown) => {
      assert.ok(e instanceof ProviderError);
      assert.equal(e.retryable, false);
      assert.equal(e.options.code, 21610);
      assert.match(e.reason, /texted STOP to opt out .* must text START/);
      return true;
    });
    await fetch(`${sandbox.url}/_sandbox/twilio/customer/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: customer, body: 'start' }),
    });
    assert.equal(
      (await adapter.send({ chatId: customer, text: 'Welcome back', attachments: [] })).providerMessageIds.length,
      1,
    );
  });

  it('retries after a 429 with the wait Twilio asked for', async () => {
    await assert.rejects(adapter.send({ chatId: '+15550120429', text: 'x', attachments: [] }), (e: unknown) => {
      assert.ok(e instanceof ProviderError);
      assert.equal(e.retryable, true);
      assert.equal(e.options.code, 20429);
      assert.equal(e.options.retryAfterSeconds, 1);
      return true;
    });
  });

  it('retries a 5xx and not an invalid number', async () => {
    await fetch(`${sandbox.url}/_sandbox/twilio/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 503, code: 20503, message: 'Service Unavailable' }),
    });
    await assert.rejects(
      adapter.send({ chatId: '+15557654321', text: 'x', attachments: [] }),
      (e: unknown) => e instanceof ProviderError && e.retryable && e.options.code === 20503,
    );
    await assert.rejects(
      adapter.send({ chatId: '+15005550001', text: 'x', attachments: [] }),
      (e: unknown) =>
        e instanceof ProviderError && !e.retryable && e.options.code === 21211 && /not a valid number/.test(e.reason),
    );
  });

  it('refuses wrong credentials as a reconnect, not a retry', async () => {
    const wrong = createTwilioAdapter(
      {
        accountId: asAccountId('acct-1'),
        accountSid: DEFAULT_ACCOUNT_SID,
        authToken: 'f'.repeat(32),
        sender: DEFAULT_PHONE_NUMBER,
        apiBaseUrl: sandbox.url,
      },
      { fetch },
    );
    await assert.rejects(
      wrong.send({ chatId: '+15557654321', text: 'x', attachments: [] }),
      (e: unknown) => e instanceof ProviderError && !e.retryable && /reconnect/.test(e.reason),
    );
  });

  it('refuses files when no media link service is configured', async () => {
    const file = { kind: 'image' as const, contentType: 'image/png', filename: 'a.png', data: Buffer.from('png') };
    await assert.rejects(
      adapter.send({ chatId: '+15557654321', text: 'see', attachments: [file] }),
      (e: unknown) => e instanceof ProviderError && e.options.code === 'media_links_missing',
    );
  });

  it('downloads an inbound MMS file through the Media URL redirect', async () => {
    const picture = Buffer.from('\x89PNG fake picture bytes');
    await fetch(`${sandbox.url}/_sandbox/twilio/customer/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        from: '+15551112222',
        body: 'look',
        media: [{ contentType: 'image/png', dataBase64: picture.toString('base64') }],
      }),
    });
    const message = () => events().find((e) => e.kind === 'message' && e.message.providerChatId === '+15551112222');
    await until(() => message() !== undefined, 'the MMS webhook');
    const { media } = (message() as Extract<InboundEvent, { kind: 'message' }>).message;
    assert.equal(media.length, 1);
    const blob = await adapter.fetchMedia(media[0]!);
    assert.equal(blob.contentType, 'image/png');
    assert.deepEqual(Buffer.from(await new Response(blob.body).arrayBuffer()), picture);
  });
});
