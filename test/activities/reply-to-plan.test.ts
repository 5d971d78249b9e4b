import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createOutboundActivities } from '../../packages/bridge/src/activities/outbound.js';
import { conversationKey } from '../../packages/bridge/src/domain/ids.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { tempStore } from '../helpers/bridge.js';
import { telegramReplyAccount } from '../helpers/telegram-reply-world.js';

/** HubSpot's `inReplyToId` → the provider's id of the message the bridge published, when the reply is planned. */
describe('the reply-to link in the reply plan', () => {
  let store: Store;
  const telegram = telegramReplyAccount('123:abc');
  const plan = (inReplyToHubSpotMessageId?: string) => {
    const { planOutboundReply } = createOutboundActivities({ store });
    const input = {
      portalId: '1',
      accountId: 'acct-tg',
      deadline: Date.now() + 60_000,
      text: { text: 'On its way' },
      files: [],
      ...(inReplyToHubSpotMessageId ? { inReplyToHubSpotMessageId } : {}),
    };
    return new MockActivityEnvironment().run(planOutboundReply, input);
  };
  before(async () => {
    store = tempStore().store;
    await store.upsertAccount(telegram);
    await store.recordMessage({
      messageKey: 'inbound:acct-tg:4242:17',
      direction: 'inbound',
      accountId: telegram.accountId,
      conversationKey: conversationKey(telegram.accountId, '4242'),
      providerMessageId: '4242:17',
      hubspotMessageId: 'hs-17',
      hubspotThreadId: 't-1',
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.recordMessage({
      messageKey: 'inbound:acct-tg:4242:18',
      direction: 'inbound',
      accountId: telegram.accountId,
      conversationKey: conversationKey(telegram.accountId, '4242'),
      providerMessageId: '4242:18',
      hubspotMessageId: 'hs-18',
      hubspotThreadId: 't-1',
    });
  });
  after(async () => store?.close());

  it('carries the provider message id of the message the rep replied to, once the customer wrote again after it', async () => {
    assert.deepEqual(await plan('hs-17'), { kind: 'ready', replyToProviderMessageId: '4242:17' });
  });

  it("plans no link to the customer's latest message: a reply answers it anyway, and a quote on every reply clutters the chat", async () => {
    assert.deepEqual(await plan('hs-18'), { kind: 'ready' });
  });

  it('plans no link for a message the bridge never published, or no inReplyToId at all', async () => {
    assert.deepEqual(await plan('hs-unknown'), { kind: 'ready' });
    assert.deepEqual(await plan(), { kind: 'ready' });
  });
});
