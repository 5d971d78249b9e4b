import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { attachmentKind } from '../../packages/bridge/src/activities/delivery.js';
import { createPacer, DEFAULT_PACING } from '../../packages/bridge/src/activities/delivery-pacing.js';
import { createOutboundActivities } from '../../packages/bridge/src/activities/outbound.js';
import { replyText } from '../../packages/bridge/src/activities/rich-text.js';
import { htmlToPlainText, htmlToTelegram } from '../../packages/bridge/src/providers/html-render.js';
import { moduleFor } from '../../packages/bridge/src/providers/registry.js';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { DEFAULT_OUTBOUND_POLICY, type OutboundRequest } from '../../packages/bridge/src/domain/outbound.js';
import { FileTooLargeError } from '../../packages/bridge/src/hubspot/files-download.js';
import type { HubSpotOutboundClient } from '../../packages/bridge/src/hubspot/status.js';
import type { AccountWithCredentials, Store } from '../../packages/bridge/src/store/types.js';
import { tempStore } from '../helpers/bridge.js';
import { telegramReplyAccount } from '../helpers/telegram-reply-world.js';

const MB = 1024 * 1024;

/** Runs an activity as the worker would: inside an activity context (it heartbeats). */
const inActivity = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment().run(fn, ...args) as Promise<R>;

describe('rich text for providers', () => {
  it('keeps only Telegram tags, escapes text, drops scripts and unsafe links', () => {
    const html =
      '<div><p>Hi <strong>Jane</strong> &amp; <em>co</em> <span style="color:red">x</span> 1 &lt; 2</p>' +
      '<p><a href="https://ex.com/?a=1&amp;b=2">order</a> <a href="javascript:alert(1)">bad</a></p>' +
      '<script>alert(1)</script><h2>Steps</h2><ol><li>one</li><li>two</li></ol><pre>if (a < b) {}</pre></div>';
    assert.equal(
      htmlToTelegram(html),
      'Hi <b>Jane</b> &amp; <i>co</i> x 1 &lt; 2\n\n<a href="https://ex.com/?a=1&amp;b=2">order</a> bad\n\n<b>Steps</b>\n\n1. one\n2. two\n\n<pre>if (a &lt; b) {}</pre>',
    );
  });

  it('spells links out in plain text and keeps line structure', () => {
    assert.equal(
      htmlToPlainText('<p>See <a href="https://ex.com">our page</a></p><ul><li>a</li><li>b</li></ul>'),
      'See our page (https://ex.com)\n\n• a\n• b',
    );
  });

  it('prefers rich text, and escapes plain text for Telegram HTML only', () => {
    assert.equal(replyText(moduleFor('telegram').reply, { text: 'a < b & c' }), 'a &lt; b &amp; c');
    assert.equal(replyText(moduleFor('whatsapp').reply, { text: 'a < b', richText: '<b>bold</b>' }), '*bold*');
    assert.equal(replyText(moduleFor('generic').reply, { text: 'a < b' }), 'a < b');
  });
});

describe('attachment kinds', () => {
  it("maps HubSpot's usage type and the MIME type to the kind the provider sends", () => {
    const kind = (contentType: string, usage?: string) => attachmentKind({ contentType }, usage);
    assert.deepEqual(
      [
        kind('image/png', 'IMAGE'),
        kind('audio/ogg', 'AUDIO'),
        kind('audio/mpeg', 'AUDIO'),
        kind('video/mp4'),
        kind('image/webp', 'STICKER'),
        kind('application/pdf'),
        kind('audio/mp4', 'VOICE_RECORDING'),
        kind('image/svg+xml'),
      ],
      ['image', 'voice', 'audio', 'video', 'sticker', 'file', 'voice', 'file'],
    );
  });
});

describe('pacing', () => {
  it('spaces messages to one chat, and not messages to different chats', async () => {
    const pacer = createPacer({ ...DEFAULT_PACING, telegram: { perChatIntervalMs: 300, globalPerSecond: 0 } });
    const t0 = Date.now();
    await Promise.all([
      pacer.wait('telegram', 'a', '1'),
      pacer.wait('telegram', 'a', '1'),
      pacer.wait('telegram', 'a', '1'),
    ]);
    assert.ok(Date.now() - t0 >= 590, 'three messages to one chat take two intervals');
    const t1 = Date.now();
    await Promise.all([
      pacer.wait('telegram', 'a', '2'),
      pacer.wait('telegram', 'a', '3'),
      pacer.wait('telegram', 'b', '1'),
    ]);
    assert.ok(Date.now() - t1 < 250, 'other chats do not wait for an interval');
  });

  it('spaces messages of one account by its global rate', async () => {
    const pacer = createPacer({ ...DEFAULT_PACING, telegram: { perChatIntervalMs: 0, globalPerSecond: 20 } });
    const t0 = Date.now();
    await Promise.all(['1', '2', '3', '4', '5'].map((chat) => pacer.wait('telegram', 'a', chat)));
    assert.ok(Date.now() - t0 >= 190, 'five messages at 20/s take four gaps of 50 ms');
  });
});

describe('outbound activities', () => {
  let store: Store;
  const telegram = telegramReplyAccount('123:abc');
  const whatsapp: AccountWithCredentials = {
    ...telegram,
    accountId: asAccountId('acct-wa'),
    provider: 'whatsapp',
    credentials: { phoneNumberId: '106', accessToken: 't', appSecret: 's', verifyToken: 'v' },
  };
  const request = (overrides: Partial<OutboundRequest> = {}): OutboundRequest => ({
    hubspotMessageId: `m-${Math.random()}`,
    portalId: '1',
    channelId: '2',
    channelAccountId: 'acct-tg',
    integrationThreadId: 'acct-tg:4242',
    recipients: [],
    text: 'hi',
    attachments: [],
    createdAt: new Date().toISOString(),
    policy: DEFAULT_OUTBOUND_POLICY,
    ...overrides,
  });
  const files = (
    make: (maxBytes: number) => Promise<never> | Promise<Awaited<ReturnType<HubSpotOutboundClient['downloadFile']>>>,
  ): HubSpotOutboundClient => ({
    updateMessageStatus: async () => {},
    downloadFile: (_portal, _file, maxBytes) => make(maxBytes),
  });
  before(async () => {
    store = tempStore().store;
    await store.upsertAccount(telegram);
    await store.upsertAccount(whatsapp);
    await store.upsertAccount({ ...telegram, accountId: asAccountId('acct-off'), authorized: false });
  });
  after(async () => store?.close());

  it('resolves the chat from the thread id, else from the recipient, and holds or fails readably', async () => {
    const { resolveOutbound } = createOutboundActivities({ store });
    assert.deepEqual(await resolveOutbound(request(), 'wf-1'), {
      kind: 'ready',
      accountId: 'acct-tg',
      provider: 'telegram',
      chatId: '4242',
      conversationKey: 'acct-tg:4242',
      receipts: false,
    });
    const byPhone = await resolveOutbound(
      request({
        channelAccountId: 'acct-wa',
        integrationThreadId: undefined,
        recipients: [{ type: 'HS_PHONE_NUMBER', value: '+447700900123' }],
      }),
      'wf-2',
    );
    assert.deepEqual(byPhone, {
      kind: 'ready',
      accountId: 'acct-wa',
      provider: 'whatsapp',
      chatId: '447700900123',
      conversationKey: 'acct-wa:447700900123',
      receipts: true,
    });
    const newerThread = await resolveOutbound(request({ integrationThreadId: 'acct-tg:4242#2' }), 'wf-6');
    assert.equal(
      newerThread.kind === 'ready' && newerThread.chatId,
      '4242',
      'a later thread of the same conversation reaches the same chat',
    );
    assert.deepEqual(await resolveOutbound(request({ channelAccountId: 'acct-off' }), 'wf-3'), {
      kind: 'held',
      accountId: 'acct-off',
    });
    assert.equal((await resolveOutbound(request({ channelAccountId: 'nobody' }), 'wf-4')).kind, 'failed');
    const nowhere = await resolveOutbound(request({ integrationThreadId: undefined }), 'wf-5');
    assert.deepEqual(nowhere, {
      kind: 'failed',
      reason: 'the reply names no customer the bridge can reach (no thread id, no recipient)',
    });
  });

  it('gives each chat its replies in createdAt order: a later reply waits until the earlier one is finished', async () => {
    const { resolveOutbound, awaitDeliveryTurn, finishOutbound } = createOutboundActivities({ store });
    const t = Date.now();
    const first = request({ integrationThreadId: 'acct-tg:777', createdAt: new Date(t).toISOString() });
    const second = request({ integrationThreadId: 'acct-tg:777', createdAt: new Date(t + 5).toISOString() });
    const otherChat = request({ integrationThreadId: 'acct-tg:778', createdAt: new Date(t + 10).toISOString() });
    // The later reply registers first, as when its webhook arrives first.
    for (const r of [second, first, otherChat]) await resolveOutbound(r, `outbound:${r.hubspotMessageId}`);
    const turn = (r: OutboundRequest) => awaitDeliveryTurn(r.hubspotMessageId, Date.now() + 60_000, 60_000);
    await assert.rejects(
      turn(second),
      (e: unknown) => e instanceof ApplicationFailure && e.type === 'NotYourTurn' && !e.nonRetryable,
    );
    await turn(first);
    await turn(otherChat);
    await assert.rejects(
      awaitDeliveryTurn(second.hubspotMessageId, Date.now() - 1, 60_000),
      (e: unknown) => e instanceof ApplicationFailure && e.type === 'DeliveryWindowExpired' && e.nonRetryable,
      'a reply still waiting when its window closes stops waiting',
    );
    await finishOutbound(first.hubspotMessageId);
    await turn(second);
  });

  it('refuses a file larger than the provider takes, before download, with "file too large for Telegram"', async () => {
    const { deliverOutboundPart } = createOutboundActivities({
      store,
      hubspotOutbound: files(async (max) => {
        throw new FileTooLargeError('backup.zip', 60 * MB, max);
      }),
    });
    const input = {
      workflowId: 'wf',
      hubspotMessageId: 'm1',
      portalId: '1',
      accountId: 'acct-tg',
      chatId: '4242',
      deadline: Date.now() + 60_000,
      part: { index: 1, file: { fileId: 'f1' } },
    };
    await assert.rejects(inActivity(deliverOutboundPart, input), (e: unknown) => {
      assert.ok(e instanceof ApplicationFailure);
      assert.equal(e.type, 'DeliveryRefused');
      assert.equal(e.nonRetryable, true);
      assert.equal(
        e.message,
        'file too large for Telegram: backup.zip is 60 MB, and Telegram accepts files up to 50 MB',
      );
      return true;
    });
  });

  it("passes on the adapter's own per-kind refusal: an 11 MB photo is too large for Telegram", async () => {
    const photo = { fileId: 'f2', filename: 'big.png', contentType: 'image/png', data: Buffer.alloc(11 * MB) };
    const { deliverOutboundPart } = createOutboundActivities({
      store,
      hubspotOutbound: files(async () => photo),
      pacing: { ...DEFAULT_PACING, telegram: { perChatIntervalMs: 0, globalPerSecond: 0 } },
    });
    const input = {
      workflowId: 'wf',
      hubspotMessageId: 'm2',
      portalId: '1',
      accountId: 'acct-tg',
      chatId: '4242',
      deadline: Date.now() + 60_000,
      part: { index: 1, file: { fileId: 'f2', usageType: 'IMAGE' } },
    };
    await assert.rejects(
      inActivity(deliverOutboundPart, input),
      (e: unknown) =>
        e instanceof ApplicationFailure &&
        e.nonRetryable &&
        /^file too large for Telegram: big\.png is 11 MB/.test(e.message),
    );
  });

  it('stops retrying once the delivery window has passed', async () => {
    const { deliverOutboundPart } = createOutboundActivities({ store });
    const input = {
      workflowId: 'wf',
      hubspotMessageId: 'm3',
      portalId: '1',
      accountId: 'acct-tg',
      chatId: '4242',
      deadline: Date.now() - 1,
      part: { index: 0, text: { text: 'late' } },
    };
    await assert.rejects(
      inActivity(deliverOutboundPart, input),
      (e: unknown) => e instanceof ApplicationFailure && e.type === 'DeliveryWindowExpired' && e.nonRetryable,
    );
  });
});
