import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DEFAULT_PACING } from '../../packages/bridge/src/activities/delivery-pacing.js';
import type { DeliveredPart, DeliverPartInput } from '../../packages/bridge/src/activities/delivery.js';
import { createOutboundActivities } from '../../packages/bridge/src/activities/outbound.js';
import type { HubSpotOutboundClient, MessageStatusUpdate } from '../../packages/bridge/src/hubspot/status.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import type { TelegramSandboxHandle } from '../helpers/telegram-sandbox.js';
import { telegramReplyWorld, type TelegramReplyWorld } from '../helpers/telegram-reply-world.js';

/**
 * Version 3 of the reply workflow: the last part's delivery writes SENT to HubSpot itself (one try). A failed write is
 * the workflow's to repeat; it never makes the part go twice.
 */
describe('a reply part that writes SENT as it is delivered', () => {
  let world: TelegramReplyWorld;
  let emulator: TelegramSandboxHandle;
  let store: Store;
  let chatId: string;
  const written: { messageId: string; channelId: string; update: MessageStatusUpdate }[] = [];
  let hubspotDown = false;
  const hubspot: HubSpotOutboundClient = {
    async updateMessageStatus(_portalId, channelId, messageId, update) {
      if (hubspotDown) throw new Error('HubSpot answered 503');
      written.push({ messageId, channelId, update });
    },
    async downloadFile() {
      throw new Error('no files in these replies');
    },
  };
  const deliver = (input: DeliverPartInput) => {
    const { deliverOutboundPart } = createOutboundActivities({
      store,
      hubspotOutbound: hubspot,
      providerEndpoints: { settings: { telegram: { apiBaseUrl: emulator.url } } },
      pacing: { ...DEFAULT_PACING, telegram: { perChatIntervalMs: 0, globalPerSecond: 0 } },
    });
    return new MockActivityEnvironment().run(deliverOutboundPart, input) as Promise<DeliveredPart>;
  };
  const part = (hubspotMessageId: string, text: string, extra: Partial<DeliverPartInput> = {}): DeliverPartInput => ({
    workflowId: `outbound:${hubspotMessageId}`,
    hubspotMessageId,
    portalId: '1',
    accountId: 'acct-tg',
    chatId,
    deadline: Date.now() + 60_000,
    part: { index: 0, text: { text } },
    ...extra,
  });
  const received = (text: string) => world.received(text);

  before(async () => {
    world = await telegramReplyWorld();
    ({ emulator, store, chatId } = world);
  });
  after(async () => world?.close());

  it('writes SENT for the reply once its last part has gone, and says so', async () => {
    const delivered = await deliver(part('m-sent', 'Shipped', { reportSent: { channelId: '2' } }));
    assert.equal(delivered.sentReported, true);
    assert.equal(received('Shipped').length, 1);
    assert.deepEqual(
      written.filter((w) => w.messageId === 'm-sent'),
      [{ messageId: 'm-sent', channelId: '2', update: { statusType: 'SENT' } }],
    );
  });

  it('writes nothing for a part that is not the last', async () => {
    const delivered = await deliver(part('m-first', 'First of two'));
    assert.equal(delivered.sentReported, undefined);
    assert.deepEqual(
      written.filter((w) => w.messageId === 'm-first'),
      [],
    );
  });

  it('leaves SENT to the workflow when HubSpot fails the write, and a retry does not send the part again', async () => {
    hubspotDown = true;
    try {
      const first = await deliver(part('m-down', 'Still goes', { reportSent: { channelId: '2' } }));
      assert.equal(first.sentReported, false);
      assert.equal(first.providerMessageIds.length, 1, 'the delivery itself succeeded');
    } finally {
      hubspotDown = false;
    }
    const again = await deliver(part('m-down', 'Still goes', { reportSent: { channelId: '2' } }));
    assert.equal(again.sentReported, true);
    assert.equal(received('Still goes').length, 1, 'the customer got it once');
  });
});
