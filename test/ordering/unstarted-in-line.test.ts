import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { startAsKept, type PendingStart } from '../../packages/bridge/src/api/pending-start.js';
import { startInboundWorkflow } from '../../packages/bridge/src/api/start-inbound.js';
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
  /** The texts HubSpot shows from this thread, in the order published, each without its thread's tag. */
  const inThread = (threadKey: string) =>
    [...bridge.sandboxState.messages.values()]
      .map((m) => m.text)
      .filter((text) => text.endsWith(` (${threadKey})`))
      .map((text) => text.slice(0, -` (${threadKey})`.length));

  /** The real client, whose starts reach Temporal only once `go` resolves. */
  function clientStartingOnce(go: Promise<void>): Client {
    const real = bridge.client;
    const workflow = Object.create(real.workflow) as Client['workflow'];
    workflow.start = (async (...args: Parameters<Client['workflow']['start']>) => {
      await go;
      return real.workflow.start(...args);
    }) as Client['workflow']['start'];
    return Object.create(real, { workflow: { value: workflow } }) as Client;
  }

  const heldAhead = async (threadKey: string) => {
    await setAuthorized(false);
    const ahead = await post(
      messageCreated({ threadKey, text: `ahead, held while the account is off (${threadKey})` }),
    );
    await waitFor(
      async () => ((await messageStatus(bridge.client, ahead)) === 'HELD' ? true : undefined),
      20_000,
      'HELD',
    );
    return ahead;
  };
  const releaseAhead = async (ahead: string) => {
    await setAuthorized(true);
    await bridge.client.workflow.getHandle(ahead).signal(accountStateChanged, { authorized: true, removed: false });
    await bridge.client.workflow.getHandle(ahead).result();
  };

  /** A message answered for whose start was never made: its place and its kept start, no workflow. */
  async function answeredButUnstarted(threadKey: string, text: string, taskQueue = bridge.taskQueue) {
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
      taskQueue,
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
    await bridge.store.queueTurn(turn, Date.now() - 60_000, JSON.stringify(kept));
    return { workflowId, kept };
  }

  it('keeps its place when the message ahead leaves, and is published once the sweeper starts it', async () => {
    const threadKey = `unstarted-${randomUUID()}`;
    // The message ahead holds the turn: its account is off, so it is held.
    const ahead = await heldAhead(threadKey);
    const { workflowId: behind } = await answeredButUnstarted(
      threadKey,
      `behind, answered for but not started (${threadKey})`,
    );

    // The account is on again: the message ahead is published and, leaving, finds no workflow to wake behind it.
    await releaseAhead(ahead);
    assert.deepEqual(
      (await bridge.store.unstartedTurns(Date.now(), 100)).map((t) => t.messageKey),
      [behind],
      'the message behind keeps its place and its kept start',
    );

    const swept = await sweepUnstartedTurns({ client: bridge.client, store: bridge.store });
    assert.equal(swept.started, 1, JSON.stringify(swept));
    await bridge.client.workflow.getHandle(behind).result();
    assert.deepEqual(inThread(threadKey), [
      'ahead, held while the account is off',
      'behind, answered for but not started',
    ]);
  });

  // Found by the provider-faults chaos test (a WhatsApp conversation published 1 2 3 4 5 6 8 7): under a webhook storm
  // the api took message 7's place, and its start was slow; message 8 came, was started and waited behind 7; 6 left,
  // found no workflow for 7, took it out of the line as a dead message's, and woke 8.
  it('keeps the place of a message whose api is still making its start, so the message after it waits', async () => {
    const threadKey = `starting-${randomUUID()}`;
    const ahead = await heldAhead(threadKey);
    let go!: () => void;
    const starting = startInboundWorkflow(
      clientStartingOnce(new Promise<void>((resolve) => (go = resolve))),
      bridge.taskQueue,
      {
        accountId: bridge.account.accountId,
        provider: 'generic',
        providerMessageId: asProviderMessageId(`m-${randomUUID()}`),
        providerChatId: threadKey,
        conversationKey: conversationKey(bridge.account.accountId, threadKey),
        sender: { id: 'customer-1', name: 'Jane Doe' },
        text: `second, its start slow (${threadKey})`,
        media: [],
        sentAt: new Date().toISOString(),
      },
      { store: bridge.store },
    );
    await delay(50); // its place is taken; the start waits for `go`
    const after = await post(messageCreated({ threadKey, text: `third, started at once (${threadKey})` }));
    await delay(1_000); // started, it claims and waits behind the second

    await releaseAhead(ahead);
    await delay(1_000);
    go();
    const second = await starting;
    await bridge.client.workflow.getHandle(second.workflowId).result();
    await bridge.client.workflow.getHandle(after).result();
    assert.deepEqual(inThread(threadKey), [
      'ahead, held while the account is off',
      'second, its start slow',
      'third, started at once',
    ]);
  });

  it('has the sweep take out a place whose run closed before its turn, and wake the message behind it', async () => {
    const threadKey = `closed-${randomUUID()}`;
    // Its run was started where no worker polls, then terminated: closed, it never claimed its turn.
    const dead = await answeredButUnstarted(threadKey, `dead (${threadKey})`, `nobody-${randomUUID()}`);
    await startAsKept(bridge.client, dead.workflowId, dead.kept);
    await bridge.client.workflow.getHandle(dead.workflowId).terminate('ended before its turn');
    const behind = await post(messageCreated({ threadKey, text: `behind a dead place (${threadKey})` }));
    await delay(1_500); // it claims, finds the dead place first in line, and waits to be woken

    const swept = await sweepUnstartedTurns({ client: bridge.client, store: bridge.store });
    assert.equal(swept.stale, 1, JSON.stringify(swept));
    const t0 = Date.now();
    await bridge.client.workflow.getHandle(behind).result();
    assert.ok(Date.now() - t0 < 20_000, 'woken by the sweep, not by its one-minute recheck');
    assert.deepEqual(inThread(threadKey), ['behind a dead place']);
  });
});
