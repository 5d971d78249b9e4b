import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { ACCOUNT_CACHE_TTL_MS } from '../../packages/bridge/src/store/account-cache.js';
import { after, before, describe, it } from 'node:test';
import { replyLineKey } from '../../packages/bridge/src/domain/outbound-chat.js';
import { StatusKey } from '../../packages/bridge/src/domain/search-attributes.js';
import { accountStateChanged } from '../../packages/bridge/src/domain/signals.js';
import { deliverWebhook, outgoingMessageEvent } from '../../packages/sandbox/src/hubspot/webhooks.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { GENERIC_SECRET, startGenericEmulator } from '../helpers/generic-emulator.js';
import { openThread, replyAsRep, waitForStatus } from '../helpers/outbound-world.js';
import { waitFor } from '../helpers/temporal.js';

interface Received {
  readonly answered: number;
  readonly duplicate: boolean;
  readonly event: { type: string; data: { threadKey: string; text?: string } };
}

/** docs/ORDERING.md, "Replies": a chat's replies are a line of their own, in HubSpot's order, with no fixed wait. */
describe("a chat's replies", () => {
  let bridge: TestBridge;
  let emulator: Awaited<ReturnType<typeof startGenericEmulator>>;
  let account: AccountWithCredentials;

  before(async () => {
    emulator = await startGenericEmulator({ autoReceipts: ['delivered'] });
    bridge = await startTestBridge({
      catchUpMs: 4_000,
      outbound: { providerEndpoints: { allowPrivateMediaHosts: ['127.0.0.1'] } },
    });
    account = await connectAccount(bridge, 'generic', {
      signingSecret: GENERIC_SECRET,
      callbackUrl: emulator.callbackUrl,
    });
    assert.ok(
      (
        await emulator.control(
          '/config',
          { bridgeUrl: `${bridge.apiUrl}/webhooks/generic/${account.accountId}` },
          'PUT',
        )
      ).ok,
    );
  });
  after(async () => {
    await bridge?.stop();
    await emulator?.close();
  });

  const delivered = async (threadKey: string) =>
    ((await (await emulator.control('/received')).json()) as { events: Received[] }).events
      .filter(
        (r) =>
          r.event.type === 'message.created' &&
          r.event.data.threadKey === threadKey &&
          r.answered === 200 &&
          !r.duplicate,
      )
      .map((r) => r.event.data.text);
  const channel = () => [...bridge.sandboxState.channels.values()][0]!;

  it('takes its turn as soon as it arrives when nothing is ahead of it: no timer before delivery', async () => {
    const threadId = await openThread(bridge, account, 'no-settle', {
      type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
      value: 'no-settle-customer',
    });
    const id = await replyAsRep(bridge, threadId, { text: 'Right away' });
    await waitForStatus(bridge, id, 'SENT', 60_000);
    const events = (await bridge.client.workflow.getHandle(`outbound:${id}`).fetchHistory()).events ?? [];
    const firstDelivery = events.findIndex(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverOutboundPart',
    );
    assert.ok(firstDelivery > 0, 'the reply was delivered');
    assert.deepEqual(
      events.slice(0, firstDelivery).filter((e) => e.timerStartedEventAttributes),
      [],
      'no settle, no poll: nothing waited',
    );
  });

  it('go in the order the rep wrote them, though HubSpot retried the first after the second had arrived', async () => {
    const threadId = await openThread(bridge, account, 'crossed', {
      type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
      value: 'crossed-customer',
    });
    // The bridge refused the first reply's webhook (503): HubSpot keeps it for a retry, and the line is held meanwhile.
    const url = channel().webhookUrl;
    channel().webhookUrl = undefined;
    const first = await replyAsRep(bridge, threadId, { text: 'crossed 1: your refund is approved' });
    const second = await replyAsRep(bridge, threadId, { text: 'crossed 2: it reaches you in 3 days' });
    channel().webhookUrl = url;
    const lineKey = replyLineKey({
      channelAccountId: account.accountId,
      integrationThreadId: `${account.accountId}:crossed`,
      recipients: [],
    })!;
    await bridge.catchUp!.hold([lineKey], 'a webhook was answered 503');
    const event = (messageId: string) =>
      outgoingMessageEvent(bridge.sandboxState, channel(), bridge.sandboxState.messages.get(messageId)!);
    assert.equal(await deliverWebhook(bridge.sandboxState, channel(), event(second)), true);
    await new Promise((r) => setTimeout(r, 1_000));
    assert.deepEqual(await delivered('crossed'), [], 'the second waits for the first');
    assert.equal(
      await deliverWebhook(bridge.sandboxState, channel(), event(first)),
      true,
      "HubSpot's retry of the first",
    );
    for (const id of [first, second]) await waitForStatus(bridge, id, 'SENT', 60_000);
    assert.deepEqual(await delivered('crossed'), [
      'crossed 1: your refund is approved',
      'crossed 2: it reaches you in 3 days',
    ]);
  });

  it('held while their account is off, go in the order the rep wrote them once it is back on, whichever wakes first', async () => {
    const threadId = await openThread(bridge, account, 'held-together', {
      type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
      value: 'held-together-customer',
    });
    await bridge.store.upsertAccount({ ...account, authorized: false });
    // Turned off by another process, as HubSpot's webhook would: the worker sees it once its account cache expires.
    await delay(ACCOUNT_CACHE_TTL_MS);
    const ids: string[] = [];
    try {
      for (const n of [1, 2, 3, 4]) ids.push(await replyAsRep(bridge, threadId, { text: `held-together ${n}` }));
      for (const id of ids) {
        await waitFor(
          async () =>
            (
              await bridge.client.workflow
                .getHandle(`outbound:${id}`)
                .describe()
                .catch(() => undefined)
            )?.typedSearchAttributes.get(StatusKey) === 'HELD'
              ? true
              : undefined,
          30_000,
          `${id} HELD`,
        );
      }
    } finally {
      await bridge.store.upsertAccount({ ...account, authorized: true });
    }
    // Released in the reverse of the order they were written: the last one looks at its account first.
    for (const id of [...ids].reverse())
      await bridge.client.workflow
        .getHandle(`outbound:${id}`)
        .signal(accountStateChanged, { authorized: true, removed: false });
    for (const id of ids) await waitForStatus(bridge, id, 'SENT', 60_000);
    assert.deepEqual(await delivered('held-together'), [
      'held-together 1',
      'held-together 2',
      'held-together 3',
      'held-together 4',
    ]);
  });

  it("never wait on the same conversation's customer messages, nor on another chat held for a catch-up", async () => {
    const held = await openThread(bridge, account, 'held-chat', {
      type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
      value: 'held-customer',
    });
    const calm = await openThread(bridge, account, 'calm-chat', {
      type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
      value: 'calm-customer',
    });
    await bridge.catchUp!.hold(
      [`${account.accountId}:calm-chat`],
      'the customer line of the same conversation is held',
    );
    await bridge.catchUp!.hold(
      [
        replyLineKey({
          channelAccountId: account.accountId,
          integrationThreadId: `${account.accountId}:held-chat`,
          recipients: [],
        })!,
      ],
      'another chat',
    );
    const id = await replyAsRep(bridge, calm, { text: 'calm: not held' });
    await waitForStatus(bridge, id, 'SENT', 30_000);
    assert.deepEqual(await delivered('calm-chat'), ['calm: not held']);
    const waiting = await replyAsRep(bridge, held, { text: 'held: after the catch-up' });
    await waitForStatus(bridge, waiting, 'SENT', 60_000);
    assert.deepEqual(await delivered('held-chat'), ['held: after the catch-up']);
  });
});
