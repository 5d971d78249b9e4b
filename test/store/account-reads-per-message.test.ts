import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, withPortalLimits, type ActivityDeps } from '../../packages/bridge/src/activities/index.js';
import { createInboundActivities } from '../../packages/bridge/src/activities/inbound.js';
import { createOutboundActivities } from '../../packages/bridge/src/activities/outbound.js';
import { STAGED_REF_PREFIX } from '../../packages/bridge/src/activities/media.js';
import { asAccountId, conversationKey, type ProviderMessageId } from '../../packages/bridge/src/domain/ids.js';
import type { InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import type { OutboundRequest } from '../../packages/bridge/src/domain/outbound.js';
import type { HubSpotClient } from '../../packages/bridge/src/hubspot/client.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { tempStore } from '../helpers/bridge.js';

const ACCOUNT = asAccountId('acct-reads');
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** HubSpot answering every call at once: what is counted here is the store, not HubSpot. */
const hubspot: HubSpotClient = {
  publishMessage: async () =>
    ({ id: 'hs-msg', conversationsThreadId: 'hs-thread' }) as Awaited<ReturnType<HubSpotClient['publishMessage']>>,
  uploadFile: async () => ({ id: 'hs-file' }),
  getThread: async () => ({ id: 'hs-thread', status: 'OPEN' }) as Awaited<ReturnType<HubSpotClient['getThread']>>,
};

type Activities = ReturnType<typeof createActivities>;

/** The activities as createActivities composed them before the account cache. */
const uncached = (deps: ActivityDeps) => {
  const limited = withPortalLimits(deps);
  return { ...createInboundActivities(limited), ...createOutboundActivities(limited) } as Pick<
    Activities,
    keyof ReturnType<typeof createInboundActivities> | keyof ReturnType<typeof createOutboundActivities>
  >;
};

/**
 * How often the account (a row plus decrypted credentials) is read for one message, counted on the store the real
 * activities get, running each step the workflows run, in their order.
 */
describe('account reads per message, through the real activities', () => {
  let connector: http.Server;
  let callbackUrl: string;
  let base: Store;
  const chatId = 'customer-1';
  let reads = 0;
  let counter = 0;
  const counting = (): Store =>
    new Proxy(base, {
      get: (target, key) =>
        key === 'getAccount' ? (id: string) => ((reads += 1), target.getAccount(id)) : Reflect.get(target, key),
    });
  const deps = (): ActivityDeps => ({
    store: counting(),
    hubspot,
    providerEndpoints: { allowPrivateMediaHosts: ['127.0.0.1'] },
  });
  const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
    new MockActivityEnvironment().run(fn, ...args) as Promise<R>;

  async function inboundMessage(
    activities: Pick<Activities, 'carryInboundMedia' | 'resolveInboundThread' | 'publishInboundMessage'>,
  ): Promise<number> {
    counter += 1;
    const key = conversationKey(ACCOUNT, chatId);
    const messageKey = `inbound:${ACCOUNT}:m${counter}`;
    await base.stageMedia(messageKey, 0, { contentType: 'image/png', bytes: PNG });
    const message: InboundMessage = {
      accountId: ACCOUNT,
      provider: 'generic',
      providerMessageId: `m${counter}` as ProviderMessageId,
      providerChatId: chatId,
      conversationKey: key,
      sender: { id: chatId, name: 'Ada' },
      text: 'Photo of the parcel',
      media: [{ kind: 'image', contentType: 'image/png', ref: `${STAGED_REF_PREFIX}0` }],
      sentAt: new Date().toISOString(),
    };
    const before = reads;
    const carried = await run(activities.carryInboundMedia, {
      messageKey,
      accountId: ACCOUNT,
      index: 0,
      media: message.media[0]!,
    });
    const thread = await run(activities.resolveInboundThread, {
      accountId: ACCOUNT,
      conversationKey: key,
      sentAt: message.sentAt,
    });
    const files = 'attachment' in carried ? [carried.attachment] : [];
    const outcome = await run(activities.publishInboundMessage, messageKey, message, {
      files,
      notes: [],
      integrationThreadId: thread.integrationThreadId,
    });
    assert.equal(outcome.outcome, 'published');
    return reads - before;
  }

  async function reply(
    activities: Pick<Activities, 'resolveOutbound' | 'planOutboundReply' | 'deliverOutboundPart'>,
  ): Promise<number> {
    counter += 1;
    const hubspotMessageId = `reply-${counter}`;
    const workflowId = `outbound:${hubspotMessageId}`;
    const request: OutboundRequest = {
      hubspotMessageId,
      portalId: '1',
      channelId: '2',
      channelAccountId: ACCOUNT,
      integrationThreadId: conversationKey(ACCOUNT, chatId),
      recipients: [],
      text: 'Your order ships today',
      attachments: [],
      createdAt: new Date().toISOString(),
      policy: { deliveryWindowMs: 60_000, receiptWaitMs: 0 },
    };
    const deadline = Date.now() + 60_000;
    const before = reads;
    const route = await run(activities.resolveOutbound, request, workflowId);
    assert.equal(route.kind, 'ready');
    const plan = await run(activities.planOutboundReply, {
      portalId: '1',
      accountId: ACCOUNT,
      deadline,
      text: { text: request.text },
      files: [],
    });
    assert.equal(plan.kind, 'ready');
    await run(activities.deliverOutboundPart, {
      workflowId,
      hubspotMessageId,
      portalId: '1',
      accountId: ACCOUNT,
      chatId,
      deadline,
      part: { index: 0, text: { text: request.text } },
    });
    return reads - before;
  }

  before(async () => {
    // A connector that takes every reply.
    connector = http.createServer((req, res) => {
      req.resume();
      req.on('end', () =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ messageId: `sent-${counter}` })),
      );
    });
    await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/replies`;
    base = tempStore().store;
    await base.upsertAccount({
      accountId: ACCOUNT,
      portalId: '1',
      channelId: '2',
      provider: 'generic',
      name: 'Connector',
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'connector' },
      authorized: true,
      credentials: { signingSecret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0', callbackUrl },
    });
  });
  after(async () => {
    await base?.close();
    await new Promise((resolve) => connector?.close(resolve));
  });

  it('reads the account once for an inbound message with a file (it was read at each of its 3 steps)', async () => {
    const before = await inboundMessage(uncached(deps()));
    const now = await inboundMessage(createActivities(deps()));
    console.log(`account reads per inbound message in the worker: ${before} before, ${now} now`);
    assert.equal(before, 3);
    assert.equal(now, 1);
  });

  it('reads the account once for a one-part reply (it was read at each of its 3 steps)', async () => {
    const before = await reply(uncached(deps()));
    const now = await reply(createActivities(deps()));
    console.log(`account reads per reply in the worker: ${before} before, ${now} now`);
    assert.equal(before, 3);
    assert.equal(now, 1);
  });
});
