import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addPortal } from '../../packages/sandbox/src/hubspot/state.js';
import { startSandbox, type Sandbox } from '../helpers/hubspot-sandbox.js';

/** Publishing messages: validation, idempotency, account state and status updates. */
describe('HubSpot sandbox: messages', () => {
  let hs: Sandbox;
  let channelId: string;
  let accountId: string;
  before(async () => {
    hs = await startSandbox();
    channelId = (await hs.registerChannel()).id;
    accountId = (await hs.createAccount(channelId)).id;
  });
  after(() => hs.close());
  const messages = () => `/conversations/v3/custom-channels/${channelId}/messages`;

  it('publishes an INCOMING message: 201, a Location, a thread, and the customer as a V- actor', async () => {
    const res = await hs.publish(channelId, hs.incoming(accountId));
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('location'), `${hs.url}${messages()}/${res.body.id}`);
    assert.equal(res.body.direction, 'INCOMING');
    assert.equal(res.body.status.statusType, 'RECEIVED');
    assert.equal(res.body.client.integrationAppId, hs.state.app.appId);
    assert.match(res.body.senders[0].actorId, /^V-\d+$/);
    assert.equal(res.body.createdBy, res.body.senders[0].actorId);
    const again = await hs.call('GET', `${messages()}/${res.body.id}`);
    assert.equal(again.body.text, 'Hi, where is order 1042?');
  });

  it('publishes the same operations under the 2026-03 prefix', async () => {
    const res = await hs.call('POST', `/conversations/custom-channels/2026-03/${channelId}/messages`, {
      json: hs.incoming(accountId),
    });
    assert.equal(res.status, 201);
  });

  it('creates no second message for a repeated integrationIdempotencyId and answers the first with 201, as the reference lists', async () => {
    const egg = hs.incoming(accountId);
    const first = await hs.publish(channelId, egg);
    const second = await hs.publish(channelId, { ...egg, text: 'changed on retry' });
    assert.equal(second.status, 201);
    assert.equal(second.body.id, first.body.id);
    // Observers (bench, chaos) tell a repeat from a creation by the ledger, not by the status.
    assert.equal(hs.state.ledger.at(-1)?.repeatOf, first.body.id);
    assert.equal(second.body.text, egg.text);
    assert.equal(
      [...hs.state.messages.values()].filter((m) => m.integrationIdempotencyId === egg.integrationIdempotencyId).length,
      1,
    );
  });

  it('keeps idempotency ids of different portals apart', async () => {
    const other = addPortal(hs.state);
    const otherAccount = await hs.createAccount(channelId, { inboxId: other.inboxId }, other.accessToken);
    const egg = hs.incoming(accountId);
    const mine = await hs.publish(channelId, egg);
    const theirs = await hs.publish(channelId, { ...egg, channelAccountId: otherAccount.id }, other.accessToken);
    assert.equal(theirs.status, 201);
    assert.notEqual(theirs.body.id, mine.body.id);
  });

  it('refuses a publish to a turned-off account with CHANNEL_ACCOUNT_NOT_AUTHORIZED', async () => {
    const account = await hs.createAccount(channelId);
    await hs.call('PATCH', `/conversations/v3/custom-channels/${channelId}/channel-accounts/${account.id}`, {
      json: { authorized: false },
    });
    const res = await hs.publish(channelId, hs.incoming(account.id));
    assert.equal(res.status, 400);
    assert.equal(res.body.subCategory, 'CustomChannelsError.CHANNEL_ACCOUNT_NOT_AUTHORIZED');
    assert.match(res.body.message, new RegExp(`Channel account ${account.id} is not authorized`));
  });

  it('refuses a publish to a removed (archived) account with 404', async () => {
    const account = await hs.createAccount(channelId);
    await hs.call('DELETE', `/_sandbox/channel-accounts/${account.id}`, { token: null });
    const res = await hs.publish(channelId, hs.incoming(account.id));
    assert.equal(res.status, 404);
  });

  it('answers VALIDATION_ERROR naming each bad field', async () => {
    const res = await hs.publish(
      channelId,
      hs.incoming(accountId, {
        senders: [],
        timestamp: 'yesterday',
        attachments: [{ type: 'FILE', fileId: '1', fileUsageType: 'VIDEO' }],
      }),
    );
    assert.equal(res.status, 400);
    const fields = res.body.errors.map((e: { in: string }) => e.in);
    assert.ok(
      fields.includes('senders') &&
        fields.includes('timestamp') &&
        fields.some((f: string) => f.startsWith('attachments')),
      fields.join(),
    );
  });

  it('refuses a FILE attachment whose file was never uploaded', async () => {
    const res = await hs.publish(
      channelId,
      hs.incoming(accountId, { attachments: [{ type: 'FILE', fileId: '999', fileUsageType: 'IMAGE' }] }),
    );
    assert.equal(res.status, 400);
  });

  it('refuses a message for an unknown channel or account, and a token of no portal', async () => {
    assert.equal((await hs.publish('1', hs.incoming(accountId))).status, 404);
    assert.equal((await hs.publish(channelId, hs.incoming('1'))).status, 404);
    assert.equal((await hs.publish(channelId, hs.incoming(accountId), 'nope')).status, 401);
  });

  it('records SENT, FAILED with its reason in failureDetails, and READ', async () => {
    const published = await hs.publish(
      channelId,
      hs.incoming(accountId, {
        messageDirection: 'OUTGOING',
        senders: [{ name: 'Acme', deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'acme-bot' } }],
        recipients: [{ deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: '+15551234567' } }],
      }),
    );
    const path = `${messages()}/${published.body.id}`;
    assert.equal((await hs.call('PATCH', path, { json: { statusType: 'SENT' } })).body.status.statusType, 'SENT');
    const failed = await hs.call('PATCH', path, {
      json: { statusType: 'FAILED', errorMessage: 'Recipient blocked the bot' },
    });
    assert.deepEqual(failed.body.status, {
      statusType: 'FAILED',
      failureDetails: { errorMessage: 'Recipient blocked the bot', errorMessageTokens: {} },
    });
    assert.equal((await hs.call('PATCH', path, { json: { statusType: 'READ' } })).body.status.statusType, 'READ');
    assert.deepEqual(
      hs.state.messages.get(published.body.id)!.statusUpdates!.map((u) => u.statusType),
      ['SENT', 'FAILED', 'READ'],
    );
  });

  it('refuses a status HubSpot does not know', async () => {
    const published = await hs.publish(channelId, hs.incoming(accountId));
    const res = await hs.call('PATCH', `${messages()}/${published.body.id}`, { json: { statusType: 'DELIVERED' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0].in, 'statusType');
  });
});
