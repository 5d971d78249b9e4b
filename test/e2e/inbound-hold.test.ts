import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { ACCOUNT_CACHE_TTL_MS } from '../../packages/bridge/src/store/account-cache.js';
import { after, before, describe, it } from 'node:test';
import { messageStatus } from '../helpers/message-status.js';
import { accountStateChanged, type AccountStateChange } from '../../packages/bridge/src/domain/signals.js';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { waitFor } from '../helpers/temporal.js';
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
