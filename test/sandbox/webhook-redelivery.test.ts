import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import express from 'express';
import { GENERIC_SECRET, startGenericEmulator } from '../helpers/generic-emulator.js';
import { signedGenericRequest } from '../helpers/generic-sender.js';
import { listenLocal, type LocalServer } from '../helpers/generic-server.js';
import { startTelegramSandbox } from '../helpers/telegram-sandbox.js';
import { startWhatsAppWorld } from '../helpers/whatsapp-world.js';

/**
 * A receiver that fails as a crashed or overloaded bridge does: the first POST loses its connection, the second gets
 * a 503, every later one a 200. It remembers what it accepted.
 */
async function flakyReceiver(): Promise<LocalServer & { accepted: string[]; attempts: () => number }> {
  const accepted: string[] = [];
  let attempts = 0;
  const app = express();
  app.post('/hook', express.text({ type: () => true }), (req, res) => {
    attempts += 1;
    if (attempts === 1) return void req.socket.destroy();
    if (attempts === 2) return void res.status(503).end();
    accepted.push(String(req.body));
    res.status(200).json({ ok: true });
  });
  const server = await listenLocal(app);
  return { ...server, url: `${server.url}/hook`, accepted, attempts: () => attempts };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('provider emulators redeliver a webhook the bridge did not acknowledge, and replay storms on demand', () => {
  const closers: (() => Promise<void>)[] = [];
  after(() => Promise.all(closers.map((close) => close())));

  it('Telegram retries after a lost connection and a 503 until a 2xx, then replays deliveries shuffled', async () => {
    const sandbox = await startTelegramSandbox();
    const hook = await flakyReceiver();
    closers.push(sandbox.close, hook.close);
    await sandbox.api('setWebhook', { url: hook.url });
    await sandbox.control(`/bots/${sandbox.bot.id}/messages`, { text: 'first' });
    await sandbox.control(`/bots/${sandbox.bot.id}/messages`, { text: 'second' });
    await until(() => hook.accepted.length === 2, 'both updates delivered');
    assert.equal(hook.attempts(), 4, 'the first update took three attempts, the second one');
    assert.deepEqual(
      hook.accepted.map((b) => (JSON.parse(b) as { message: { text: string } }).message.text),
      ['first', 'second'],
    );

    const storm = await sandbox.control(`/bots/${sandbox.bot.id}/replay`, { recent: 2, times: 5 });
    assert.deepEqual(await storm.json(), { replayed: 10, answers: { ok: 10 } });
    const ids = hook.accepted.slice(2).map((b) => (JSON.parse(b) as { update_id: number }).update_id);
    assert.equal(ids.length, 10);
    assert.equal(new Set(ids).size, 2, 'copies of the two delivered updates, same update_id');
    assert.equal((await sandbox.control(`/bots/${sandbox.bot.id}/replay`, { recent: 0 })).status, 400);
  });

  it('WhatsApp retries with backoff after a 503 and a 502, then replays deliveries signed as before', async () => {
    const world = await startWhatsAppWorld({ retry: { attempts: 5, baseDelayMs: 20 } });
    closers.push(world.close);
    let attempts = 0;
    world.setRespond(() => (++attempts === 1 ? 503 : attempts === 2 ? 502 : 200));
    await world.customer({ type: 'text', text: 'hello' });
    await until(() => world.received.filter((r) => r.verified.ok).length >= 3, 'the third attempt');
    const webhooks = await world.control('GET', '/webhooks');
    assert.deepEqual(
      webhooks.body.deliveries[0].attempts.map((a: { status: number }) => a.status),
      [503, 502, 200],
    );

    const storm = await world.control('POST', '/webhooks/replay', { recent: 1, times: 4 });
    assert.deepEqual(storm.body, { replayed: 4, answers: { '200': 4 } });
    assert.equal(world.received.length, 7);
    assert.ok(
      world.received.every((r) => r.verified.ok && r.raw === world.received[0]!.raw),
      'each copy is the same signed body',
    );
  });

  it('WhatsApp retries a connection the receiver drops', async () => {
    const hook = await flakyReceiver();
    const world = await startWhatsAppWorld({ retry: { attempts: 5, baseDelayMs: 20 } });
    closers.push(world.close, hook.close);
    // The handshake goes to the world's own receiver; the pushes then go to the flaky one.
    await world.control('POST', '/customer/messages', { type: 'text', text: 'warm-up' });
    await until(() => world.received.length === 1, 'the warm-up delivery');
    world.sandboxApp.whatsapp.webhook.url = hook.url;
    await world.customer({ type: 'text', text: 'through a crash' });
    await until(() => hook.accepted.length === 1, 'the redelivery');
    const webhooks = await world.control('GET', '/webhooks');
    const attempts = webhooks.body.deliveries.at(-1).attempts as { status?: number; error?: string }[];
    assert.equal(attempts.length, 3);
    assert.ok(attempts[0]!.error, 'the lost connection is recorded as an error');
    assert.deepEqual(
      attempts.slice(1).map((a) => a.status),
      [503, 200],
    );
  });

  it('the generic connector retries after a lost connection and a 503, then replays with the same webhook-id', async () => {
    const hook = await flakyReceiver();
    const emulator = await startGenericEmulator({ bridgeUrl: hook.url });
    closers.push(emulator.close, hook.close);
    const sent = await emulator.control('/messages?wait=true', { text: 'through a crash' });
    const { delivery } = (await sent.json()) as {
      delivery: { outcome: string; attempts: { status?: number; error?: string }[] };
    };
    assert.equal(delivery.outcome, 'delivered');
    assert.equal(delivery.attempts.length, 3);
    assert.ok(delivery.attempts[0]!.error);
    assert.deepEqual(
      delivery.attempts.slice(1).map((a) => a.status),
      [503, 200],
    );

    const storm = await emulator.control('/replay', { recent: 1, times: 3 });
    assert.deepEqual(await storm.json(), { replayed: 3, answers: { '200': 3 } });
    assert.equal(hook.accepted.length, 4);
    assert.equal(new Set(hook.accepted).size, 1, 'the same event each time');
  });

  it('a generic receiver fault can fail a share of the calls, spread evenly, until cleared', async () => {
    const emulator = await startGenericEmulator();
    closers.push(emulator.close);
    assert.equal((await emulator.control('/faults', { status: 503, share: 2 })).status, 400);
    assert.equal((await emulator.control('/faults', { status: 503, share: 0.25 })).status, 200);
    const reply = (i: number) => ({
      type: 'message.created',
      timestamp: new Date().toISOString(),
      data: {
        messageId: `r${i}`,
        threadKey: 'chat-1',
        sender: { id: 'bridge' },
        text: `reply ${i}`,
        sentAt: new Date().toISOString(),
      },
    });
    const answers: number[] = [];
    for (let i = 0; i < 8; i++) {
      const request = signedGenericRequest(GENERIC_SECRET, reply(i));
      answers.push(
        (await fetch(emulator.callbackUrl, { method: 'POST', headers: request.headers, body: request.body })).status,
      );
    }
    assert.deepEqual(answers, [200, 200, 200, 503, 200, 200, 200, 503]);
  });
});
