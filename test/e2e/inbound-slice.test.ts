import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HubSpotMessageIdKey, StatusKey } from '../../packages/bridge/src/domain/search-attributes.js';
import { accountStateChanged } from '../../packages/bridge/src/domain/signals.js';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { waitFor } from '../helpers/temporal.js';

/** The vertical slice: generic webhook → api → Temporal → worker → HubSpot sandbox, on a real dev server. */
describe('inbound slice, end to end', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startTestBridge();
  });
  after(() => bridge.stop());

  const send = (payload: unknown) => {
    const request = signedGenericRequest(bridge.signingSecret, payload);
    return fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
  };
  const publishes = () => bridge.sandboxState.ledger.filter((e) => e.method === 'POST' && e.path.endsWith('/messages'));

  it('publishes the text to HubSpot once, with the message key as integrationIdempotencyId', async () => {
    const payload = messageCreated({ threadKey: 'order-1042', text: 'Hi, where is order 1042?' });
    assert.equal((await send(payload)).status, 200);
    const workflowId = `inbound:${bridge.account.accountId}:${payload.data.messageId}`;
    const result = (await bridge.client.workflow.getHandle(workflowId).result()) as {
      hubspotMessageId: string;
      hubspotThreadId: string;
    };

    const published = bridge.sandboxState.messages.get(result.hubspotMessageId);
    assert.ok(published, 'the sandbox holds the published message');
    assert.equal(published.text, 'Hi, where is order 1042?');
    assert.equal(published.direction, 'INCOMING');
    assert.equal(published.integrationIdempotencyId, workflowId);
    assert.equal(published.senders[0]?.name, 'Jane Doe');
    assert.deepEqual(published.recipients[0]?.deliveryIdentifier, bridge.account.deliveryIdentifier);
    assert.equal(
      bridge.sandboxState.threads.get(result.hubspotThreadId)?.integrationThreadId,
      `${bridge.account.accountId}:order-1042`,
    );

    const mapping = await bridge.store.findMessage(workflowId);
    assert.equal(mapping?.hubspotMessageId, result.hubspotMessageId);
    // Version 3 keeps HubSpot's id out of the search attributes (a visibility write per message): the mapping has it.
    const description = await bridge.client.workflow.getHandle(workflowId).describe();
    assert.equal(description.typedSearchAttributes.get(HubSpotMessageIdKey), undefined);
  });

  it('publishes nothing more when the same webhook is delivered again, even after completion', async () => {
    const payload = messageCreated();
    await send(payload);
    const workflowId = `inbound:${bridge.account.accountId}:${payload.data.messageId}`;
    await bridge.client.workflow.getHandle(workflowId).result();
    const before = publishes().length;
    for (let i = 0; i < 3; i += 1) assert.equal((await send(payload)).status, 200);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(publishes().length, before);
    assert.equal(
      [...bridge.sandboxState.messages.values()].filter((m) => m.integrationIdempotencyId === workflowId).length,
      1,
    );
  });

  it('keeps a conversation in one HubSpot thread', async () => {
    const first = messageCreated({ threadKey: 'same-chat' });
    const second = messageCreated({ threadKey: 'same-chat' });
    await send(first);
    await send(second);
    const threadOf = async (messageId: string) =>
      (
        (await bridge.client.workflow.getHandle(`inbound:${bridge.account.accountId}:${messageId}`).result()) as {
          hubspotThreadId: string;
        }
      ).hubspotThreadId;
    assert.equal(await threadOf(first.data.messageId), await threadOf(second.data.messageId));
  });

  it('says in the message when media could not be carried, instead of dropping it', async () => {
    const payload = messageCreated();
    const withMedia = {
      ...payload,
      data: {
        ...payload.data,
        text: 'see photo',
        attachments: [
          { kind: 'image', contentType: 'image/png', filename: 'receipt.png', url: 'http://10.255.255.1/r.png' },
        ],
      },
    };
    await send(withMedia);
    const result = (await bridge.client.workflow
      .getHandle(`inbound:${bridge.account.accountId}:${payload.data.messageId}`)
      .result()) as { hubspotMessageId: string };
    assert.match(
      bridge.sandboxState.messages.get(result.hubspotMessageId)!.text,
      /^see photo\n\n\[An image "receipt.png" was sent but could not be carried: .*10\.255\.255\.1/,
    );
  });

  it('holds a message HubSpot refuses because the account is turned off, and publishes it once turned back on', async () => {
    const account = [...bridge.sandboxState.channelAccounts.values()].find((a) => a.id === bridge.account.accountId)!;
    account.authorized = false;
    const payload = messageCreated({ text: 'sent while the inbox was off' });
    await send(payload);
    const handle = bridge.client.workflow.getHandle(`inbound:${bridge.account.accountId}:${payload.data.messageId}`);
    await waitFor(
      async () => ((await handle.describe()).typedSearchAttributes.get(StatusKey) === 'HELD' ? true : undefined),
      20_000,
      'HELD',
    );
    assert.equal(publishes().at(-1)?.status, 400);
    account.authorized = true;
    await handle.signal(accountStateChanged, { authorized: true, removed: false });
    const result = (await handle.result()) as { hubspotMessageId: string };
    assert.equal(bridge.sandboxState.messages.get(result.hubspotMessageId)?.text, 'sent while the inbox was off');
  });
});
