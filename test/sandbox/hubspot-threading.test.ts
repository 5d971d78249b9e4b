import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../helpers/hubspot-sandbox.js';

const customer = (value: string) => [{ name: 'Customer', deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value } }];

/** Where messages land, under both threading models, and what a CLOSED thread does (docs/SANDBOX.md). */
describe('HubSpot sandbox: threading', () => {
  let hs: Sandbox;
  before(async () => {
    hs = await startSandbox();
  });
  after(() => hs.close());

  const threadOf = async (channelId: string, egg: unknown) => {
    const res = await hs.publish(channelId, egg);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.conversationsThreadId as string;
  };
  const close = (threadId: string) =>
    hs.call('PATCH', `/conversations/v3/conversations/threads/${threadId}`, { json: { status: 'CLOSED' } });

  describe('INTEGRATION_THREAD_ID', () => {
    let channelId: string;
    let accountId: string;
    before(async () => {
      channelId = (await hs.registerChannel()).id;
      accountId = (await hs.createAccount(channelId)).id;
    });

    it('keeps messages with the same integrationThreadId in one thread and splits different ones', async () => {
      const a = await threadOf(channelId, hs.incoming(accountId, { integrationThreadId: 'chat-a' }));
      assert.equal(
        await threadOf(
          channelId,
          hs.incoming(accountId, { integrationThreadId: 'chat-a', senders: customer('+15550000002') }),
        ),
        a,
      );
      assert.notEqual(await threadOf(channelId, hs.incoming(accountId, { integrationThreadId: 'chat-b' })), a);
    });

    it('requires integrationThreadId', async () => {
      const res = await hs.publish(channelId, hs.incoming(accountId, { integrationThreadId: undefined }));
      assert.equal(res.status, 400);
      assert.equal(res.body.errors[0].in, 'integrationThreadId');
    });

    it('starts a new thread when the thread of that integrationThreadId was closed, and leaves the closed one closed', async () => {
      const first = await threadOf(channelId, hs.incoming(accountId, { integrationThreadId: 'chat-closed' }));
      await close(first);
      const second = await threadOf(channelId, hs.incoming(accountId, { integrationThreadId: 'chat-closed' }));
      assert.notEqual(second, first);
      assert.equal((await hs.call('GET', `/conversations/v3/conversations/threads/${first}`)).body.status, 'CLOSED');
      assert.equal(await threadOf(channelId, hs.incoming(accountId, { integrationThreadId: 'chat-closed' })), second);
    });
  });

  describe('DELIVERY_IDENTIFIER', () => {
    let channelId: string;
    let accountId: string;
    before(async () => {
      channelId = (
        await hs.registerChannel({
          capabilities: {
            threadingModel: 'DELIVERY_IDENTIFIER',
            deliveryIdentifierTypes: ['HS_PHONE_NUMBER', 'CHANNEL_SPECIFIC_OPAQUE_ID'],
          },
        })
      ).id;
      accountId = (await hs.createAccount(channelId)).id;
    });

    it('threads by the customer identifier and ignores integrationThreadId', async () => {
      const a = await threadOf(
        channelId,
        hs.incoming(accountId, { senders: customer('+15551110001'), integrationThreadId: 'x' }),
      );
      assert.equal(
        await threadOf(
          channelId,
          hs.incoming(accountId, { senders: customer('+15551110001'), integrationThreadId: 'y' }),
        ),
        a,
      );
      assert.notEqual(await threadOf(channelId, hs.incoming(accountId, { senders: customer('+15551110002') })), a);
    });

    it('puts an OUTGOING message mirrored by the integration in its recipient customer thread', async () => {
      const a = await threadOf(channelId, hs.incoming(accountId, { senders: customer('+15551110003') }));
      const mirrored = hs.incoming(accountId, {
        messageDirection: 'OUTGOING',
        senders: [{ deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bot' } }],
        recipients: customer('+15551110003'),
      });
      assert.equal(await threadOf(channelId, mirrored), a);
    });

    it('refuses an OUTGOING message without a recipient, since it could not name the thread customer', async () => {
      const res = await hs.publish(channelId, hs.incoming(accountId, { messageDirection: 'OUTGOING', recipients: [] }));
      assert.equal(res.status, 400);
      assert.equal(res.body.errors[0].in, 'recipients');
    });

    it('starts a new thread for the customer once their thread is closed', async () => {
      const a = await threadOf(channelId, hs.incoming(accountId, { senders: customer('+15551110004') }));
      await close(a);
      assert.notEqual(await threadOf(channelId, hs.incoming(accountId, { senders: customer('+15551110004') })), a);
    });
  });

  it("reopens the closed thread instead when closedThreadPolicy is 'reopen'", async () => {
    const reopening = await startSandbox({ closedThreadPolicy: 'reopen' });
    try {
      const channelId = (await reopening.registerChannel()).id;
      const accountId = (await reopening.createAccount(channelId)).id;
      const first = await reopening.publish(channelId, reopening.incoming(accountId, { integrationThreadId: 'again' }));
      const threadId = first.body.conversationsThreadId as string;
      await reopening.call('PATCH', `/conversations/v3/conversations/threads/${threadId}`, {
        json: { status: 'CLOSED' },
      });
      const second = await reopening.publish(
        channelId,
        reopening.incoming(accountId, { integrationThreadId: 'again' }),
      );
      assert.equal(second.body.conversationsThreadId, threadId);
      assert.equal(
        (await reopening.call('GET', `/conversations/v3/conversations/threads/${threadId}`)).body.status,
        'OPEN',
      );
    } finally {
      await reopening.close();
    }
  });
});
