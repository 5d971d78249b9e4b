import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  rawStatusesFor,
  receiptsFor,
  statusEntries,
  SECRETS,
  PHONE_NUMBER_ID,
  CUSTOMER,
  startWhatsAppWorld,
  waitFor,
  type WhatsAppWorld,
} from '../helpers/whatsapp-world.js';
import { specCheck } from '../helpers/spec-schemas.js';
import { assertValid, WHATSAPP_WEBHOOK_SPEC, whatsappWebhook } from '../helpers/whatsapp-schemas.js';
import { SAMPLES, webp } from '../helpers/whatsapp-media.js';

const graph = (
  world: WhatsAppWorld,
  path: string,
  init: RequestInit = {},
  token: string | null = SECRETS.accessToken,
) =>
  fetch(`${world.sandboxUrl}/v23.0/${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) },
  });
const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const text = (to: string, body = 'Hello from the business') => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
  type: 'text',
  text: { body },
});
const b64 = (data: Buffer) => data.toString('base64');

async function send(world: WhatsAppWorld, body: unknown): Promise<string> {
  const res = await graph(world, `${PHONE_NUMBER_ID}/messages`, json(body));
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { messages: { id: string }[] }).messages[0]!.id;
}

async function upload(world: WhatsAppWorld, data: Buffer, type: string, filename = 'file', product = 'whatsapp') {
  const form = new FormData();
  form.set('messaging_product', product);
  form.set('type', type);
  form.set('file', new Blob([data as Uint8Array as BlobPart], { type }), filename);
  return graph(world, `${PHONE_NUMBER_ID}/media`, { method: 'POST', body: form });
}

describe('WhatsApp emulator: webhooks', () => {
  let world: WhatsAppWorld;
  before(async () => {
    world = await startWhatsAppWorld();
  });
  after(() => world.close());

  it('pushes every kind of customer message, signed and ASCII-escaped, each read by the adapter as that kind', async (t) => {
    const kinds: Record<string, unknown>[] = [
      { type: 'text', text: 'Hi, where is my order? ☕' },
      { type: 'image', caption: 'the box', file: { dataBase64: b64(SAMPLES.jpeg()), mimeType: 'image/jpeg' } },
      { type: 'audio', file: { dataBase64: b64(SAMPLES.mp3()), mimeType: 'audio/mpeg' } },
      { type: 'voice', file: { dataBase64: b64(SAMPLES.ogg()), mimeType: 'audio/ogg; codecs=opus' } },
      { type: 'video', caption: 'it rattles', file: { dataBase64: b64(SAMPLES.mp4()), mimeType: 'video/mp4' } },
      { type: 'sticker', file: { dataBase64: b64(webp(4000, true)), mimeType: 'image/webp' } },
      {
        type: 'document',
        caption: 'invoice',
        file: { dataBase64: b64(SAMPLES.pdf()), mimeType: 'application/pdf', filename: 'invoice.pdf' },
      },
      { type: 'location', location: { latitude: 51.5, longitude: -0.12, name: 'Office', address: '1 Main St' } },
      { type: 'location', location: { latitude: 48.85, longitude: 2.35 } },
      {
        type: 'contacts',
        contacts: [
          {
            name: { formatted_name: 'Ann Lee', first_name: 'Ann' },
            phones: [{ phone: '+44 7700 900000', type: 'CELL' }],
          },
        ],
      },
      { type: 'text', text: 'answering you', replyTo: 'wamid.PREVIOUS' },
      { type: 'reaction', reaction: { messageId: 'wamid.PREVIOUS', emoji: '👍' } },
    ];
    const start = world.received.length;
    const wamids: string[] = [];
    for (const body of kinds) wamids.push((await world.customer(body)).wamid);
    await waitFor('every customer webhook', () => world.received.length >= start + kinds.length);
    const got = world.received.slice(start);
    for (const r of got) {
      assert.deepEqual(r.verified, { ok: true });
      assert.ok(!/[^\x00-\x7f]/.test(r.raw), 'non-ASCII is escaped as Meta does');
    }
    await specCheck(t, WHATSAPP_WEBHOOK_SPEC, 'every customer webhook', () => {
      for (const [index, r] of got.entries()) assertValid(whatsappWebhook(), r.body, `customer webhook #${index + 1}`);
    });
    // Webhooks travel concurrently, as Meta's do: put them back in the order the customer sent them.
    const idOf = (r: (typeof got)[number]) =>
      (r.body as { entry: { changes: { value: { messages: { id: string }[] } }[] }[] }).entry[0]!.changes[0]!.value
        .messages[0]!.id;
    const events = wamids.flatMap((id) => got.find((r) => idOf(r) === id)!.events);
    const kindsSeen = events.map((e) => (e.kind === 'message' ? (e.message.media[0]?.kind ?? 'text') : e.kind));
    assert.deepEqual(kindsSeen, [
      'text',
      'image',
      'audio',
      'voice',
      'video',
      'sticker',
      'file',
      'text',
      'text',
      'text',
      'text',
      'text',
    ]);
    const reply = events[10] as Extract<(typeof events)[number], { kind: 'message' }>;
    assert.equal(reply.message.replyToProviderMessageId, 'wamid.PREVIOUS');
  });

  it('emits sent, delivered and read for a business message', async (t) => {
    await world.customer({ type: 'text', text: 'opening the window' });
    const wamid = await send(world, text(CUSTOMER));
    await waitFor('read', () => rawStatusesFor(world, wamid).includes('read'));
    assert.deepEqual(rawStatusesFor(world, wamid), ['sent', 'delivered', 'read']);
    await specCheck(t, WHATSAPP_WEBHOOK_SPEC, 'every webhook so far', () => {
      for (const [index, r] of world.received.entries())
        assertValid(whatsappWebhook(), r.body, `webhook #${index + 1}`);
    });
  });

  it('adds played for a voice note (OGG/Opus audio)', async (t) => {
    await world.customer({ type: 'text', text: 'send me a voice note' });
    const id = ((await (await upload(world, SAMPLES.ogg(), 'audio/ogg')).json()) as { id: string }).id;
    const wamid = await send(world, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: CUSTOMER,
      type: 'audio',
      audio: { id },
    });
    await waitFor('played', () => rawStatusesFor(world, wamid).includes('played'));
    assert.deepEqual(rawStatusesFor(world, wamid), ['sent', 'delivered', 'read', 'played']);
    await specCheck(t, WHATSAPP_WEBHOOK_SPEC, 'every webhook so far (played included)', () => {
      for (const [index, r] of world.received.entries())
        assertValid(whatsappWebhook(), r.body, `webhook #${index + 1}`);
    });
  });

  it('delivers statuses out of order when asked', async () => {
    await world.control('POST', '/status-mode', { mode: 'out_of_order' });
    const wamid = await send(world, text(CUSTOMER));
    await waitFor('three statuses', () => rawStatusesFor(world, wamid).length === 3);
    assert.deepEqual(rawStatusesFor(world, wamid), ['read', 'delivered', 'sent']);
    await world.control('POST', '/status-mode', { mode: 'in_order' });
  });

  it('delivers every status twice when asked', async () => {
    await world.control('POST', '/status-mode', { mode: 'duplicated' });
    const wamid = await send(world, text(CUSTOMER));
    await waitFor('six statuses', () => rawStatusesFor(world, wamid).length === 6);
    assert.deepEqual(rawStatusesFor(world, wamid), ['sent', 'sent', 'delivered', 'delivered', 'read', 'read']);
    await world.control('POST', '/status-mode', { mode: 'in_order' });
  });

  it('accepts a send outside the 24-hour window and then fails it with 131047, as Meta does', async () => {
    await world.control('POST', `/customers/${CUSTOMER}`, {
      lastInboundAt: new Date(Date.now() - 25 * 3600_000).toISOString(),
    });
    const wamid = await send(world, text(CUSTOMER));
    await waitFor('failed', () => rawStatusesFor(world, wamid).includes('failed'));
    assert.deepEqual(rawStatusesFor(world, wamid), ['failed']);
    assert.deepEqual(receiptsFor(world, wamid), [
      {
        kind: 'receipt',
        providerMessageId: wamid,
        status: 'failed',
        reason: "outside WhatsApp's 24-hour window: the customer must write first, or use a template (131047)",
        code: 131047,
        windowClosed: true,
      },
    ]);
  });

  it('applies the window on the sandbox clock: 24 hours later the same customer is outside it', async () => {
    await world.customer({ type: 'text', text: 'hello again' });
    await world.control('POST', '/clock', { advanceMs: 24 * 3600_000 + 60_000 });
    const wamid = await send(world, text(CUSTOMER));
    await waitFor('failed', () => rawStatusesFor(world, wamid).includes('failed'));
    await world.control('POST', '/clock', { advanceMs: -(24 * 3600_000 + 60_000) });
  });

  it('retries a webhook the receiver refuses, then stops', async () => {
    let calls = 0;
    world.setRespond(() => (++calls <= 2 ? 500 : 200));
    const { delivery } = await world.customer({ type: 'text', text: 'retry me' });
    const deliveries = async () =>
      (await world.control('GET', `/webhooks?since=${delivery - 1}`)).body.deliveries as {
        seq: number;
        delivered: boolean;
        attempts: unknown[];
      }[];
    const done = await waitFor('delivered after retries', async () =>
      (await deliveries()).find((d) => d.seq === delivery && d.delivered),
    );
    assert.equal(done.attempts.length, 3);

    world.setRespond(() => 503);
    const failing = await world.customer({ type: 'text', text: 'never accepted' });
    const gaveUp = await waitFor('give up', async () =>
      (await world.control('GET', `/webhooks?since=${failing.delivery - 1}`)).body.deliveries.find(
        (d: { gaveUp: boolean }) => d.gaveUp,
      ),
    );
    assert.equal(gaveUp.attempts.length, 4);
    assert.equal(gaveUp.delivered, false);
    world.setRespond(() => 200);
  });

  it('pushed only signed webhooks, in any mode or failure, with every status WhatsApp sends', async (t) => {
    assert.ok(world.received.length > 30, `only ${world.received.length} webhooks`);
    for (const r of world.received) assert.deepEqual(r.verified, { ok: true });
    await specCheck(t, WHATSAPP_WEBHOOK_SPEC, 'every webhook pushed in any mode or failure', () => {
      for (const [index, r] of world.received.entries())
        assertValid(whatsappWebhook(), r.body, `webhook #${index + 1}`);
    });
    const statuses = new Set(world.received.flatMap((r) => statusEntries(r.body).map((s) => s.status)));
    assert.deepEqual([...statuses].sort(), ['delivered', 'failed', 'played', 'read', 'sent']);
  });
});

describe('WhatsApp emulator: the subscription handshake', () => {
  it('verifies the webhook with the configured token and refuses to push when the receiver rejects it', async () => {
    const world = await startWhatsAppWorld({ verifyToken: 'not-what-the-receiver-expects' });
    try {
      const handshake = await world.control('POST', '/webhook', {});
      assert.equal(handshake.status, 409);
      assert.match(handshake.body.reason, /answered 403 hub.verify_token does not match/);
      const fixed = await world.control('POST', '/webhook', { verifyToken: SECRETS.verifyToken });
      assert.deepEqual(fixed.body, { ok: true, reason: 'verified', redelivered: 0 });
    } finally {
      await world.close();
    }
  });
});

describe('WhatsApp emulator: a webhook set up late', () => {
  it('delivers what the customer wrote before the webhook was verified, once it is', async () => {
    const world = await startWhatsAppWorld({ verifyToken: 'not-yet-right' });
    try {
      const { delivery } = await world.customer({ type: 'text', text: 'anyone there?' });
      await waitFor('give up', async () =>
        (await world.control('GET', '/webhooks')).body.deliveries.find(
          (d: { seq: number; gaveUp: boolean }) => d.seq === delivery && d.gaveUp,
        ),
      );
      assert.equal(world.received.length, 0);
      const fixed = await world.control('POST', '/webhook', { verifyToken: SECRETS.verifyToken });
      assert.equal(fixed.body.redelivered, 1);
      const got = await waitFor('the redelivered message', () => world.received[0]);
      assert.equal(got.events[0]?.kind, 'message');
    } finally {
      await world.close();
    }
  });
});

describe('WhatsApp emulator: Graph API', () => {
  let world: WhatsAppWorld;
  before(async () => {
    world = await startWhatsAppWorld();
    await world.customer({ type: 'text', text: 'hi' });
  });
  after(() => world.close());

  it('refuses a missing or wrong Bearer token with code 190', async () => {
    for (const token of [null, 'wrong']) {
      const res = await graph(world, `${PHONE_NUMBER_ID}/messages`, json(text(CUSTOMER)), token);
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { error: { code: number } }).error.code, 190);
    }
  });

  it('refuses another phone number id and an unknown media id with code 100', async () => {
    const res = await graph(world, '123456/messages', json(text(CUSTOMER)));
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: number } }).error.code, 100);
    assert.equal((await graph(world, '987654321')).status, 400);
  });

  it('refuses a request the send-message schema refuses, and a caption on audio', async () => {
    const bad = await graph(
      world,
      `${PHONE_NUMBER_ID}/messages`,
      json({ messaging_product: 'whatsapp', to: CUSTOMER, type: 'text', text: { body: 'x' } }),
    );
    assert.equal(bad.status, 400);
    assert.match(
      ((await bad.json()) as { error: { error_data: { details: string } } }).error.error_data.details,
      /recipient_type/,
    );
    const id = ((await (await upload(world, SAMPLES.mp3(), 'audio/mpeg')).json()) as { id: string }).id;
    const caption = await graph(
      world,
      `${PHONE_NUMBER_ID}/messages`,
      json({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: CUSTOMER,
        type: 'audio',
        audio: { id, caption: 'no' },
      }),
    );
    assert.equal(caption.status, 400);
  });

  it('accepts a read receipt, a separate request shape', async () => {
    const { wamid } = await world.customer({ type: 'text', text: 'please read me' });
    const res = await graph(
      world,
      `${PHONE_NUMBER_ID}/messages`,
      json({ messaging_product: 'whatsapp', status: 'read', message_id: wamid }),
    );
    assert.deepEqual(await res.json(), { success: true });
  });

  it('enforces per-kind upload limits and accepted types', async () => {
    const big = await upload(world, Buffer.alloc(5 * 1024 * 1024 + 1), 'image/jpeg');
    assert.equal(big.status, 400);
    assert.equal(((await big.json()) as { error: { code: number } }).error.code, 131053);
    const gif = await upload(world, Buffer.alloc(10), 'image/gif');
    assert.match(
      ((await gif.json()) as { error: { error_data: { details: string } } }).error.error_data.details,
      /one of the following types/,
    );
    const noProduct = await upload(world, SAMPLES.png(), 'image/png', 'a.png', 'instagram');
    assert.equal(noProduct.status, 400);
    const staticSticker = ((await (await upload(world, webp(150 * 1024), 'image/webp')).json()) as { id: string }).id;
    const sticker = await graph(
      world,
      `${PHONE_NUMBER_ID}/messages`,
      json({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: CUSTOMER,
        type: 'sticker',
        sticker: { id: staticSticker },
      }),
    );
    assert.equal(sticker.status, 400);
  });

  it('serves media by a URL that needs the Bearer token and expires after 5 minutes', async () => {
    const id = ((await (await upload(world, SAMPLES.png(), 'image/png')).json()) as { id: string }).id;
    const meta = (await (await graph(world, id)).json()) as {
      url: string;
      sha256: string;
      file_size: number;
      mime_type: string;
    };
    assert.equal(meta.mime_type, 'image/png');
    assert.equal(meta.file_size, SAMPLES.png().length);
    assert.equal((await fetch(meta.url)).status, 401);
    const ok = await fetch(meta.url, { headers: { authorization: `Bearer ${SECRETS.accessToken}` } });
    assert.deepEqual(Buffer.from(await ok.arrayBuffer()), SAMPLES.png());
    await world.control('POST', '/clock', { advanceMs: 5 * 60_000 + 1000 });
    assert.equal((await fetch(meta.url, { headers: { authorization: `Bearer ${SECRETS.accessToken}` } })).status, 404);
    await world.control('POST', '/clock', { advanceMs: -(5 * 60_000 + 1000) });
  });

  it('answers the phone number lookup', async () => {
    const res = await graph(world, `${PHONE_NUMBER_ID}?fields=display_phone_number,verified_name`);
    const body = (await res.json()) as { display_phone_number: string; verified_name: string };
    assert.equal(body.display_phone_number, '15550783881');
    assert.equal(body.verified_name, 'Sandbox Business');
  });

  it('injects 130429 for the next call only, and 5xx for a share of calls', async () => {
    await world.control('POST', '/faults', { kind: 'rate_limit', count: 1, scope: 'messages' });
    const limited = await graph(world, `${PHONE_NUMBER_ID}/messages`, json(text(CUSTOMER)));
    assert.equal(limited.status, 429);
    assert.equal(((await limited.json()) as { error: { code: number } }).error.code, 130429);
    assert.equal((await graph(world, `${PHONE_NUMBER_ID}/messages`, json(text(CUSTOMER)))).status, 200);
    await world.control('POST', '/faults', { kind: 'server_error', share: 1 });
    const down = await graph(world, `${PHONE_NUMBER_ID}/messages`, json(text(CUSTOMER)));
    assert.equal(down.status, 503);
    assert.equal(((await down.json()) as { error: { is_transient: boolean } }).error.is_transient, true);
    await world.control('DELETE', '/faults');
    assert.equal((await graph(world, `${PHONE_NUMBER_ID}/messages`, json(text(CUSTOMER)))).status, 200);
  });

  it('slows calls down when latency is injected', async () => {
    await world.control('POST', '/faults', { kind: 'latency', latencyMs: 400, count: 1, scope: 'messages' });
    const started = Date.now();
    assert.equal((await graph(world, `${PHONE_NUMBER_ID}/messages`, json(text(CUSTOMER)))).status, 200);
    assert.ok(Date.now() - started >= 350, 'the call waited for the injected latency');
  });

  it('records what the business sent in the ledger', async () => {
    const wamid = await send(world, text(CUSTOMER, 'for the ledger'));
    const ledger = (await world.control('GET', '/ledger')).body as {
      sent: { wamid: string; request: { text: { body: string } } }[];
    };
    assert.equal(ledger.sent.find((m) => m.wamid === wamid)?.request.text.body, 'for the ledger');
  });

  it('refuses customer input WhatsApp would not allow, with a readable 400', async () => {
    const res = await world.control('POST', '/customer/messages', {
      type: 'image',
      file: { dataBase64: b64(Buffer.alloc(10)), mimeType: 'image/gif' },
    });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /does not send a image\/gif file as image/);
    assert.equal((await world.control('POST', '/customer/messages', { type: 'text' })).status, 400);
  });
});
