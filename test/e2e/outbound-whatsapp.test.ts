import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createWhatsAppSandbox, type WhatsAppSandbox } from '../../packages/sandbox/src/whatsapp/app.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import {
  openThread,
  replyAsRep,
  statusUpdates,
  uploadRepFile,
  waitForStatus,
  gif,
  oggOpus,
} from '../helpers/outbound-world.js';
import { png, SAMPLES } from '../helpers/whatsapp-media.js';
import { ACCOUNT_CACHE_TTL_MS } from '../../packages/bridge/src/store/account-cache.js';

const SECRETS = {
  accessToken: 'EAAG-outbound-token',
  appSecret: 'outbound-app-secret',
  verifyToken: 'outbound-verify-token',
};
const PHONE_NUMBER_ID = '106540352242922';

interface SentMessage {
  readonly wamid: string;
  readonly to: string;
  readonly type: string;
  readonly request: {
    text?: { body: string };
    image?: { caption?: string };
    document?: { filename?: string };
    audio?: unknown;
  };
}

/**
 * A rep's reply in the HubSpot sandbox → bridge → WhatsApp emulator; statuses back through the bridge's webhook to
 * HubSpot.
 */
describe('outbound: HubSpot rep → WhatsApp', () => {
  let bridge: TestBridge;
  let account: AccountWithCredentials;
  let emulator: WhatsAppSandbox;
  let server: Server;
  let base: string;
  let nextCustomer = 447700900300;

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/_sandbox/whatsapp${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  before(async () => {
    emulator = createWhatsAppSandbox({ ...SECRETS, phoneNumberId: PHONE_NUMBER_ID, statusDelayMs: 50 });
    server = await new Promise<Server>((resolve) => {
      const s = emulator.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    bridge = await startTestBridge({
      outbound: { providerEndpoints: { settings: { whatsapp: { graphBaseUrl: base } } } },
    });
    account = await connectAccount(bridge, 'whatsapp', { phoneNumberId: PHONE_NUMBER_ID, ...SECRETS });
    const subscribed = await control('POST', '/webhook', {
      url: `${bridge.apiUrl}/webhooks/whatsapp/${account.accountId}`,
      verifyToken: SECRETS.verifyToken,
    });
    assert.equal(subscribed.status, 200);
  });
  after(async () => {
    emulator?.stopTimers();
    await new Promise<void>((r) => server?.close(() => r()));
    await bridge?.stop();
  });

  /** A customer whose last message was `hoursAgo` hours ago, and their HubSpot thread. */
  async function customer(hoursAgo = 0): Promise<{ waId: string; threadId: string }> {
    const waId = String((nextCustomer += 1));
    await control('POST', `/customers/${waId}`, {
      name: 'Jane Customer',
      lastInboundAt: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(),
    });
    const threadId = await openThread(bridge, account, waId, { type: 'HS_PHONE_NUMBER', value: `+${waId}` });
    return { waId, threadId };
  }
  const sentTo = async (waId: string) =>
    ((await control('GET', '/ledger')).body.sent as SentMessage[]).filter((m) => m.to === waId);
  const setMode = (mode: string) => control('POST', '/status-mode', { mode });

  it('delivers text in WhatsApp markup and every attachment kind, then shows SENT and READ in HubSpot', async () => {
    const { waId, threadId } = await customer();
    const files = [
      await uploadRepFile(bridge, 'photo.png', 'image/png', png(16, 16, [0, 128, 0], [255, 255, 0])),
      await uploadRepFile(bridge, 'invoice.pdf', 'application/pdf', SAMPLES.pdf()),
      await uploadRepFile(bridge, 'song.mp3', 'audio/mpeg', SAMPLES.mp3()),
      await uploadRepFile(bridge, 'note.ogg', 'audio/ogg', SAMPLES.ogg()),
      await uploadRepFile(bridge, 'clip.mp4', 'video/mp4', SAMPLES.mp4()),
    ];
    const messageId = await replyAsRep(bridge, threadId, {
      richText: '<p>Hello <b>Jane</b>, <i>thanks</i> for <s>waiting</s> writing.</p>',
      fileIds: files,
    });
    const updates = await waitForStatus(bridge, messageId, 'READ', 60_000);
    assert.deepEqual(updates, [{ statusType: 'SENT' }, { statusType: 'READ' }]);

    const sent = await sentTo(waId);
    // The text fits a caption (1024), so it rides on the image instead of going as a message of its own.
    assert.deepEqual(
      sent.map((m) => m.type),
      ['image', 'document', 'audio', 'audio', 'video'],
    );
    assert.equal(sent[0]!.request.image?.caption, 'Hello *Jane*, _thanks_ for ~waiting~ writing.');
    assert.equal(sent[1]!.request.document?.filename, 'invoice.pdf');
  });

  it('plans the reply as a whole: a last file WhatsApp refuses fails it at once, naming the file, and nothing is sent', async () => {
    const { waId, threadId } = await customer();
    const files = [
      await uploadRepFile(bridge, 'invoice.pdf', 'application/pdf', SAMPLES.pdf()),
      await uploadRepFile(bridge, 'dance.gif', 'image/gif', gif()),
    ];
    const messageId = await replyAsRep(bridge, threadId, { text: 'Your invoice, and a little dance', fileIds: files });
    const updates = await waitForStatus(bridge, messageId, 'FAILED', 60_000);
    assert.equal(updates.length, 1);
    assert.match(
      updates[0]!.errorMessage ?? '',
      /^nothing was sent: "dance.gif" is image\/gif, a format WhatsApp does not accept/,
    );
    assert.deepEqual(await sentTo(waId), [], 'neither the text nor the invoice went');
  });

  it('sends an Ogg/Opus note as a voice note (audio.voice) with the text on its own first', async () => {
    const { waId, threadId } = await customer();
    const files = [await uploadRepFile(bridge, 'reply.ogg', 'audio/ogg', oggOpus())];
    const messageId = await replyAsRep(bridge, threadId, { text: 'Listen:', fileIds: files });
    await waitForStatus(bridge, messageId, 'SENT', 60_000);
    const sent = await sentTo(waId);
    assert.deepEqual(
      sent.map((m) => m.type),
      ['text', 'audio'],
    );
    assert.equal((sent[1]!.request.audio as { voice?: boolean }).voice, true);
  });

  it("gives FAILED with the reason to configure a template when the customer is outside WhatsApp's 24-hour window (fail mode)", async () => {
    const { waId, threadId } = await customer(25);
    const messageId = await replyAsRep(bridge, threadId, { text: 'Following up on your order' });
    const updates = await waitForStatus(bridge, messageId, 'FAILED', 60_000);
    assert.equal(updates.at(-1)?.statusType, 'FAILED');
    assert.match(updates.at(-1)?.errorMessage ?? '', /more than 24 hours ago/);
    assert.match(updates.at(-1)?.errorMessage ?? '', /configure one with WHATSAPP_WINDOW_MODE=template/);
    assert.ok(!updates.some((u) => u.statusType === 'READ'));
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await sentTo(waId)).length, 1, 'sent once, never retried in a loop, no template');
  });

  it('sends the configured template with the reply as its parameter once the window has closed, then SENT and READ', async () => {
    const template = { windowTemplate: 'support_follow_up', windowTemplateLanguage: 'en_US' };
    await bridge.store.upsertAccount({ ...account, credentials: { ...account.credentials, ...template } });
    // The worker reads accounts through a cache; a reply within its life would find the account without the template.
    await new Promise((r) => setTimeout(r, ACCOUNT_CACHE_TTL_MS));
    const { waId, threadId } = await customer();
    // The customer wrote just now; the emulator's clock then moves past their 24-hour window.
    assert.equal((await control('POST', '/clock', { advanceMs: 25 * 3_600_000 })).status, 200);
    try {
      const messageId = await replyAsRep(bridge, threadId, { text: 'Your order shipped today' });
      const updates = await waitForStatus(bridge, messageId, 'READ', 60_000);
      assert.deepEqual(updates, [{ statusType: 'SENT' }, { statusType: 'READ' }]);
      await new Promise((r) => setTimeout(r, 500));
      const sent = await sentTo(waId);
      assert.deepEqual(
        sent.map((m) => m.type),
        ['text', 'template'],
        'the free-form reply Meta refused, then the template, once',
      );
      assert.deepEqual((sent[1]!.request as Record<string, unknown>).template, {
        name: 'support_follow_up',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Your order shipped today' }] }],
      });
    } finally {
      await control('POST', '/clock', { advanceMs: -25 * 3_600_000 });
      await bridge.store.upsertAccount(account);
    }
  });

  it('replies to a customer known only by their business-scoped user id through `recipient`, SENT then READ', async () => {
    const bsuid = `AE.${String((nextCustomer += 1))}77101234`;
    await control('POST', `/customers/${bsuid}`, { name: 'Jane Username', lastInboundAt: new Date().toISOString() });
    const threadId = await openThread(bridge, account, bsuid, { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: bsuid });
    const messageId = await replyAsRep(bridge, threadId, { text: 'Hello from support' });
    assert.deepEqual(await waitForStatus(bridge, messageId, 'READ', 60_000), [
      { statusType: 'SENT' },
      { statusType: 'READ' },
    ]);
    const sent = await sentTo(bsuid);
    assert.equal(sent.length, 1);
    assert.equal((sent[0]!.request as Record<string, unknown>).recipient, bsuid);
    assert.equal((sent[0]!.request as Record<string, unknown>).to, undefined);
  });

  it('waits out a throughput limit (130429) and then delivers once, SENT', async () => {
    const { waId, threadId } = await customer();
    assert.equal((await control('POST', '/faults', { kind: 'rate_limit', count: 2, scope: 'messages' })).status, 201);
    const messageId = await replyAsRep(bridge, threadId, { text: 'Sorry for the wait' });
    const updates = await waitForStatus(bridge, messageId, 'READ', 60_000);
    assert.deepEqual(updates, [{ statusType: 'SENT' }, { statusType: 'READ' }]);
    assert.deepEqual(
      (await sentTo(waId)).map((m) => m.request.text?.body),
      ['Sorry for the wait'],
      'delivered exactly once',
    );
  });

  it('never moves a status backwards on duplicated, out-of-order or late statuses', async () => {
    for (const mode of ['duplicated', 'out_of_order']) {
      await setMode(mode);
      const { threadId } = await customer();
      const messageId = await replyAsRep(bridge, threadId, { text: `statuses ${mode}` });
      assert.deepEqual(
        await waitForStatus(bridge, messageId, 'READ', 60_000),
        [{ statusType: 'SENT' }, { statusType: 'READ' }],
        mode,
      );
    }

    await setMode('manual');
    const { waId, threadId } = await customer();
    const messageId = await replyAsRep(bridge, threadId, { text: 'statuses by hand' });
    await waitForStatus(bridge, messageId, 'SENT', 60_000);
    const [sent] = await sentTo(waId);
    for (const status of ['read', 'delivered', 'sent', 'delivered']) {
      assert.equal((await control('POST', '/statuses', { messageId: sent!.wamid, status })).status, 202);
    }
    await waitForStatus(bridge, messageId, 'READ', 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(await statusUpdates(bridge, messageId), [{ statusType: 'SENT' }, { statusType: 'READ' }]);
    await setMode('in_order');
  });

  it("sends a message again when WhatsApp's status says it failed for a temporary reason (131000), and follows the new one to READ", async () => {
    await setMode('manual');
    try {
      const { waId, threadId } = await customer();
      const messageId = await replyAsRep(bridge, threadId, { text: 'Your refund is on its way' });
      await waitForStatus(bridge, messageId, 'SENT', 60_000);
      const [first] = await sentTo(waId);
      assert.equal(
        (await control('POST', '/statuses', { messageId: first!.wamid, status: 'failed', errorCode: 131000 })).status,
        202,
      );
      // Meta's advice for 131000 is to retry; the bridge waits 5 s first.
      const deadline = Date.now() + 30_000;
      let sent = await sentTo(waId);
      while (sent.length < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        sent = await sentTo(waId);
      }
      assert.deepEqual(
        sent.map((m) => m.request.text?.body),
        ['Your refund is on its way', 'Your refund is on its way'],
        'the failed message went once more',
      );
      assert.equal((await control('POST', '/statuses', { messageId: sent[1]!.wamid, status: 'read' })).status, 202);
      await waitForStatus(bridge, messageId, 'READ', 60_000);
      assert.deepEqual(
        await statusUpdates(bridge, messageId),
        [{ statusType: 'SENT' }, { statusType: 'READ' }],
        'never FAILED on the way',
      );
    } finally {
      await setMode('in_order');
    }
  });
});
