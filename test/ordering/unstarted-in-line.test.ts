import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { PendingStart } from '../../packages/bridge/src/api/pending-start.js';
import { sweepUnstartedTurns } from '../../packages/bridge/src/api/start-sweeper.js';
import { asProviderMessageId, conversationKey } from '../../packages/bridge/src/domain/ids.js';
import type { InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import { AccountIdKey, StatusKey } from '../../packages/bridge/src/domain/search-attributes.js';
import { accountStateChanged } from '../../packages/bridge/src/domain/signals.js';
import { INBOUND_WORKFLOW_TYPE } from '../../packages/bridge/src/domain/workflow-types.js';
import { ACCOUNT_CACHE_TTL_MS } from '../../packages/bridge/src/store/account-cache.js';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { messageStatus } from '../helpers/message-status.js';
import { waitFor } from '../helpers/temporal.js';

/**
 * docs/INBOUND.md, "Answered before the start": a message whose api answered before Temporal confirmed its start has
 * its place in line, with the start kept beside it, and no workflow until the start is made (by its api, or by the
 * sweeper when that api died or Temporal was down). The message ahead of it, leaving, finds no workflow to wake there;
 * it must leave that place alone, not take it out of the line as a dead message's. (Found by the Temporal-restart chaos
 * test: one such message was lost.)
 */
describe('a message in line whose start is still to be made', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startTestBridge();
  });
  after(() => bridge.stop());

  const post = async (payload: ReturnType<typeof messageCreated>) => {
    const { body, headers } = signedGenericRequest(bridge.signingSecret, payload);
    const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
      method: 'POST',
      headers,
      body,
    });
    assert.equal(res.status, 200);
    return `inbound:${bridge.account.accountId}:${payload.data.messageId}`;
  };
  const setAuthorized = async (authorized: boolean) => {
    await bridge.store.upsertAccount({ ...bridge.account, authorized });
    if (!authorized) await delay(ACCOUNT_CACHE_TTL_MS);
  };
  const published = () => [...bridge.sandboxState.messages.values()].map((m) => m.text);

  /** A message answered for whose start was never made: its place and its kept start, no workflow. */
  async function answeredButUnstarted(threadKey: string, text: string): Promise<string> {
    const id = `m-${randomUUID()}`;
    const message: InboundMessage = {
      accountId: bridge.account.accountId,
      provider: 'generic',
      providerMessageId: asProviderMessageId(id),
      providerChatId: threadKey,
      conversationKey: conversationKey(bridge.account.accountId, threadKey),
      sender: { id: 'customer-1', name: 'Jane Doe' },
      text,
      media: [],
      sentAt: new Date().toISOString(),
    };
    const workflowId = `inbound:${message.accountId}:${id}`;
    const kept: PendingStart = {
      workflowType: INBOUND_WORKFLOW_TYPE,
      taskQueue: bridge.taskQueue,
      args: [message],
      searchAttributes: { [AccountIdKey.name]: message.accountId, [StatusKey.name]: 'ACCEPTED' },
    };
    const turn = {
      lineKey: message.conversationKey,
      messageKey: workflowId,
      orderAt: message.sentAt,
      accountId: message.accountId,
    };
    // Queued a minute ago, so the sweeper takes it as one its api will not make any more.
    await bridge.store.queueTurn(turn, Date.now() - 60_000);
    await bridge.store.keepPendingStart(workflowId, JSON.stringify(kept));
    return workflowId;
  }

  it('keeps its place when the message ahead leaves, and is published once the sweeper starts it', async () => {
    const threadKey = `unstarted-${randomUUID()}`;
    // The message ahead holds the turn: its account is off, so it is held.
    await setAuthorized(false);
    const ahead = await post(messageCreated({ threadKey, text: 'ahead, held while the account is off' }));
    await waitFor(
      async () => ((await messageStatus(bridge.client, ahead)) === 'HELD' ? true : undefined),
      20_000,
      'HELD',
    );
    const behind = await answeredButUnstarted(threadKey, 'behind, answered for but not started');

    // The account is on again: the message ahead is published and, leaving, finds no workflow to wake behind it.
    await setAuthorized(true);
    await bridge.client.workflow.getHandle(ahead).signal(accountStateChanged, { authorized: true, removed: false });
    await bridge.client.workflow.getHandle(ahead).result();
    assert.deepEqual(
      (await bridge.store.unstartedTurns(Date.now(), 100)).map((t) => t.messageKey),
      [behind],
      'the message behind keeps its place and its kept start',
    );

    const swept = await sweepUnstartedTurns({ client: bridge.client, store: bridge.store });
    assert.equal(swept.started, 1, JSON.stringify(swept));
    await bridge.client.workflow.getHandle(behind).result();
    assert.deepEqual(
      published().filter((text) => text.startsWith('ahead') || text.startsWith('behind')),
      ['ahead, held while the account is off', 'behind, answered for but not started'],
    );
  });
});
