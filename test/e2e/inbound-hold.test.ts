import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { ACCOUNT_CACHE_TTL_MS } from '../../packages/bridge/src/store/account-cache.js';
import { after, before, describe, it } from 'node:test';
import { messageStatus } from '../helpers/message-status.js';
import { accountStateChanged, type AccountStateChange } from '../../packages/bridge/src/domain/signals.js';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { waitFor } from '../helpers/temporal.js';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createAccountActivities } from '../../packages/bridge/src/activities/account-lifecycle.js';
import { INBOUND_WORKFLOW_TYPE } from '../../packages/bridge/src/domain/workflow-types.js';

type Published = { hubspotMessageId: string };

/** A turned-off account holds its messages (BridgeStatus=HELD) until issue 7's accountStateChanged signal. */
describe('inbound for a turned-off account', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startTestBridge();
  });
  after(() => bridge.stop());

  const send = async (payload: ReturnType<typeof messageCreated>) => {
    const request = signedGenericRequest(bridge.signingSecret, payload);
    const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    assert.equal(res.status, 200);
    return `inbound:${bridge.account.accountId}:${payload.data.messageId}`;
  };
  /**
   * Turns the account on or off as another process would: the worker sees an account turned off once its cache expires.
   */
  const setAuthorized = async (authorized: boolean) => {
    await bridge.store.upsertAccount({ ...bridge.account, authorized });
    if (!authorized) await delay(ACCOUNT_CACHE_TTL_MS);
  };
  const status = (id: string) => messageStatus(bridge.client, id);
  /** What the account lifecycle does: signal every HELD workflow of the account, found by search attributes. */
  async function signalHeld(change: AccountStateChange, expected: number) {
    const query = `BridgeAccountId = "${bridge.account.accountId}" AND BridgeStatus = "HELD" AND ExecutionStatus = "Running"`;
    const ids = await waitFor(
      async () => {
        const found: string[] = [];
        for await (const w of bridge.client.workflow.list({ query })) found.push(w.workflowId);
        return found.length >= expected ? found : undefined;
      },
      20_000,
      `${expected} HELD workflows in visibility`,
    );
    for (const id of ids) await bridge.client.workflow.getHandle(id).signal(accountStateChanged, change);
    return ids;
  }
  const publishedTexts = () => [...bridge.sandboxState.messages.values()].map((m) => m.text);

  it('holds messages while the account is off, keeps their order, and publishes them when it is turned back on', async () => {
    await setAuthorized(false);
    const first = await send(messageCreated({ threadKey: 'held-chat', text: 'held one' }));
    const second = await send(messageCreated({ threadKey: 'held-chat', text: 'held two' }));
    await waitFor(async () => ((await status(first)) === 'HELD' ? true : undefined), 20_000, 'HELD');
    assert.ok(!publishedTexts().includes('held one'), 'nothing reached HubSpot');

    await setAuthorized(true);
    assert.deepEqual(await signalHeld({ authorized: true, removed: false }, 1), [first]);
    const [a, b] = (await Promise.all(
      [first, second].map((id) => bridge.client.workflow.getHandle(id).result()),
    )) as Published[];
    const order = [...bridge.sandboxState.messages.keys()];
    assert.ok(order.indexOf(a!.hubspotMessageId) < order.indexOf(b!.hubspotMessageId));
    assert.equal(await status(first), 'PUBLISHED');
  });

  // Found by the deploy chaos test: a reply read its account just before it was turned back on, and went HELD after
  // the lifecycle had listed the held messages, so it waited for its five-minute recheck.
  it('publishes a message that went HELD while the held messages were being signalled', async () => {
    await setAuthorized(false);
    const before = await send(messageCreated({ threadKey: 'held-late-1', text: 'held before the change' }));
    await waitFor(async () => ((await status(before)) === 'HELD' ? true : undefined), 20_000, 'HELD');
    const lifecycle = createAccountActivities({ store: bridge.store });
    const signalling = new MockActivityEnvironment(undefined, { client: bridge.client }).run(
      lifecycle.signalHeldMessages,
      bridge.account.accountId,
      { authorized: true, removed: false },
    );
    // After the first listing: this one reads the account off and goes HELD; the first, woken, reads it off again.
    const during = await send(messageCreated({ threadKey: 'held-late-2', text: 'held after the listing' }));
    await waitFor(async () => ((await status(during)) === 'HELD' ? true : undefined), 20_000, 'HELD');
    await bridge.store.upsertAccount({ ...bridge.account, authorized: true });
    const t0 = Date.now();
    await Promise.all([before, during].map((id) => bridge.client.workflow.getHandle(id).result()));
    assert.ok(Date.now() - t0 < 20_000, `published after ${Date.now() - t0} ms, not at the recheck`);
    assert.ok(((await signalling) as number) >= 2);
    assert.ok(publishedTexts().includes('held before the change'));
    assert.ok(publishedTexts().includes('held after the listing'));
  });

  it('keeps holding when the signal says the account is still off', async () => {
    await setAuthorized(false);
    const id = await send(messageCreated({ threadKey: 'still-off', text: 'still off' }));
    await waitFor(async () => ((await status(id)) === 'HELD' ? true : undefined), 20_000, 'HELD');
    await bridge.client.workflow.getHandle(id).signal(accountStateChanged, { authorized: false, removed: false });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await status(id), 'HELD');
    await setAuthorized(true);
    await bridge.client.workflow.getHandle(id).signal(accountStateChanged, { authorized: true, removed: false });
    await bridge.client.workflow.getHandle(id).result();
  });

  it('ends with a readable reason when the account is removed while a message is held', async () => {
    await setAuthorized(false);
    const id = await send(messageCreated({ threadKey: 'removed-chat', text: 'never published' }));
    await waitFor(async () => ((await status(id)) === 'HELD' ? true : undefined), 20_000, 'HELD');
    await bridge.client.workflow.getHandle(id).signal(accountStateChanged, { authorized: false, removed: true });
    await assert.rejects(bridge.client.workflow.getHandle(id).result(), (error: Error & { cause?: Error }) => {
      assert.equal(error.cause?.message, 'the account was removed from HubSpot while the message was held');
      return true;
    });
    assert.equal(await status(id), 'FAILED');
    await setAuthorized(true);
  });

  it('fails with a reason once the hold limit passes, and publishes without a turn when no conversation runs', async () => {
    await setAuthorized(false);
    const payload = messageCreated({ threadKey: 'limit-chat', text: 'held too long' });
    const message = {
      accountId: bridge.account.accountId,
      provider: 'generic' as const,
      providerMessageId: payload.data.messageId,
      providerChatId: 'limit-chat',
      conversationKey: `${bridge.account.accountId}:limit-chat`,
      sender: { id: 'customer-1', name: 'Jane Doe' },
      text: 'held too long',
      media: [],
      sentAt: new Date().toISOString(),
    };
    // Started directly, as after an api crash between the start and the queueing: the workflow queues itself.
    const handle = await bridge.client.workflow.start(INBOUND_WORKFLOW_TYPE, {
      workflowId: `inbound:${bridge.account.accountId}:${payload.data.messageId}`,
      taskQueue: bridge.taskQueue,
      args: [message, { turnRecheckMs: 200, holdRecheckMs: 200, holdLimitMs: 1_000 }],
    });
    await assert.rejects(handle.result(), (error: Error & { cause?: Error }) => {
      assert.match(
        error.cause?.message ?? '',
        /^the account stayed turned off for 1 s, so the message was not published/,
      );
      return true;
    });
    await setAuthorized(true);
  });
});
