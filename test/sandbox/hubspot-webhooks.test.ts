import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Signature } from '@hubspot/api-client';
import { signV3 } from '../../packages/sandbox/src/hubspot/webhooks.js';
import { assertMatches } from '../helpers/hubspot-schemas.js';
import {
  eventually,
  startSandbox,
  startWebhookReceiver,
  type ReceivedWebhook,
  type Sandbox,
} from '../helpers/hubspot-sandbox.js';

/** `@hubspot/api-client`'s own check, as a bridge would call it (v3, with the registered URL and the timestamp). */
function hubspotAccepts(hs: Sandbox, webhookUrl: string, hit: ReceivedWebhook): boolean {
  return Signature.isValid({
    signatureVersion: 'v3',
    signature: String(hit.headers['x-hubspot-signature-v3']),
    clientSecret: hs.state.app.clientSecret,
    requestBody: hit.rawBody,
    url: webhookUrl,
    method: hit.method,
    timestamp: Number(hit.headers['x-hubspot-request-timestamp']),
  });
}

/** Signed webhooks to the channel's webhookUrl: rep replies, account events, and retries. */
describe('HubSpot sandbox: webhooks', () => {
  let hs: Sandbox;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let channelId: string;
  let accountId: string;
  before(async () => {
    hs = await startSandbox({ webhookRetry: { maxRetries: 3, firstDelayMs: 20 } });
    receiver = await startWebhookReceiver();
    channelId = (
      await hs.registerChannel({
        webhookUrl: receiver.url,
        channelAccountConnectionRedirectUrl: 'https://bridge.example.com/connect',
      })
    ).id;
    accountId = (await hs.createAccount(channelId)).id;
  });
  after(async () => {
    // Every event the receiver got, retries included, is a HubSpot webhook body.
    for (const hit of receiver.received) assertMatches('webhooks#Event', JSON.parse(hit.rawBody));
    await hs.close();
    await receiver.close();
  });

  const events = (type: string) => receiver.received.filter((r) => JSON.parse(r.rawBody).type === type);
  const customerThread = async (integrationThreadId = `chat-${Math.random()}`) =>
    (await hs.publish(channelId, hs.incoming(accountId, { integrationThreadId }))).body as {
      id: string;
      conversationsThreadId: string;
    };
  const reply = (threadId: string, body: unknown) =>
    hs.call('POST', `/_sandbox/threads/${threadId}/replies`, { token: null, json: body });

  it("signs as the reference's v3 test vector says", () => {
    const signature = signV3(
      'hubspot-client-secret',
      'POST',
      'https://bridge.example.com/hubspot/webhook',
      '{"type":"OUTGOING_CHANNEL_MESSAGE_CREATED"}',
      1767225600000,
    );
    assert.equal(signature, 'Za4peHImCClm70mJjTDrjksFVxPbvNCDd0DksktijoU=');
  });

  it('sends OUTGOING_CHANNEL_MESSAGE_CREATED when a rep replies, signed so that Signature.isValid (v3) accepts it', async () => {
    const incoming = await customerThread('order-1042');
    const sent = await reply(incoming.conversationsThreadId, {
      richText: '<p>Sorry about that, <b>checking now</b>.</p>',
      senderName: 'Sam Rep',
    });
    assert.equal(sent.status, 201);
    const hit = await eventually(() =>
      events('OUTGOING_CHANNEL_MESSAGE_CREATED').find((r) => JSON.parse(r.rawBody).message.id === sent.body.id),
    );
    assert.equal(hit.method, 'POST');
    assert.equal(hit.url, '/hubspot/webhook');
    assert.ok(hubspotAccepts(hs, receiver.url, hit));
    const event = JSON.parse(hit.rawBody);
    assertMatches('webhooks#OutgoingChannelMessageCreated', event);
    assert.deepEqual(event.channelIntegrationThreadIds, ['order-1042']);
    assert.equal(event.portalId, hs.portal.portalId);
    assert.equal(event.message.text, 'Sorry about that, checking now.');
    assert.equal(event.message.inReplyToId, incoming.id);
    assert.deepEqual(event.message.recipients[0].deliveryIdentifier, {
      type: 'HS_PHONE_NUMBER',
      value: '+15551234567',
    });
    assert.match(event.message.senders[0].actorId, /^A-\d+$/);
  });

  it('is a signature a changed body or another URL no longer matches', async () => {
    const incoming = await customerThread();
    const sent = await reply(incoming.conversationsThreadId, { text: 'hello' });
    const hit = await eventually(() =>
      events('OUTGOING_CHANNEL_MESSAGE_CREATED').find((r) => JSON.parse(r.rawBody).message.id === sent.body.id),
    );
    assert.equal(hubspotAccepts(hs, receiver.url, { ...hit, rawBody: hit.rawBody.replace('hello', 'hullo') }), false);
    assert.equal(hubspotAccepts(hs, 'https://proxy.internal/hubspot/webhook', hit), false);
  });

  it('carries a rep file as a FILE attachment the bridge can download through a signed URL', async () => {
    const incoming = await customerThread();
    const data = new FormData();
    data.set('file', new Blob([Buffer.from('%PDF-1.4 label')], { type: 'application/pdf' }), 'label.pdf');
    const file = await hs.call('POST', '/_sandbox/files', { token: null, body: data });
    assert.equal(file.status, 201);
    const sent = await reply(incoming.conversationsThreadId, { text: 'Your label', fileIds: [file.body.id] });
    const event = JSON.parse(
      (
        await eventually(() =>
          events('OUTGOING_CHANNEL_MESSAGE_CREATED').find((r) => JSON.parse(r.rawBody).message.id === sent.body.id),
        )
      ).rawBody,
    );
    assert.deepEqual(
      [event.message.attachments[0].fileId, event.message.attachments[0].name],
      [file.body.id, 'label.pdf'],
    );
    const signed = await hs.call('GET', `/files/v3/files/${file.body.id}/signed-url`);
    assert.equal(await (await fetch(signed.body.url)).text(), '%PDF-1.4 label');
  });

  it('redelivers an event with the same body and eventId when asked, and 404s an unknown one', async () => {
    const incoming = await customerThread();
    const sent = await reply(incoming.conversationsThreadId, { text: 'say it twice' });
    const mine = () => receiver.received.filter((r) => r.rawBody.includes(`"id":"${sent.body.id}"`));
    const first = await eventually(() => mine()[0]);
    const { eventId } = JSON.parse(first.rawBody);
    assert.equal((await hs.call('POST', `/_sandbox/webhooks/${eventId}/redeliver`, { token: null })).status, 202);
    const second = await eventually(() => mine()[1]);
    assert.equal(second.rawBody, first.rawBody);
    assert.ok(hubspotAccepts(hs, receiver.url, second));
    assert.equal((await hs.call('POST', '/_sandbox/webhooks/nope/redeliver', { token: null })).status, 404);
  });

  it('retries a failing endpoint with doubling delays until it answers 2xx', async () => {
    const incoming = await customerThread();
    receiver.answerNext(500, 503);
    const sent = await reply(incoming.conversationsThreadId, { text: 'retry me' });
    const attempts = await eventually(() => {
      const mine = hs.state.webhookDeliveries.filter(
        (d) => (d.body as { message?: { id: string } }).message?.id === sent.body.id,
      );
      return mine.some((d) => d.status === 200) ? mine : undefined;
    });
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.status]),
      [
        [1, 500],
        [2, 503],
        [3, 200],
      ],
    );
    const gaps = attempts.slice(1).map((a, i) => Date.parse(a.at) - Date.parse(attempts[i]!.at));
    assert.ok(gaps[0]! >= 20 && gaps[1]! >= 40, `gaps ${gaps.join(', ')}`);
    const bodies = receiver.received.filter((r) => r.rawBody.includes(`"id":"${sent.body.id}"`));
    assert.ok(
      bodies.every((b) => hubspotAccepts(hs, receiver.url, b)),
      'every attempt is signed afresh',
    );
  });

  it('gives up after maxRetries retries', async () => {
    const incoming = await customerThread();
    receiver.answerNext(500, 500, 500, 500, 500);
    const sent = await reply(incoming.conversationsThreadId, { text: 'never delivered' });
    const mine = () =>
      hs.state.webhookDeliveries.filter((d) => (d.body as { message?: { id: string } }).message?.id === sent.body.id);
    await eventually(() => (mine().length === 4 ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(mine().length, 4);
  });

  describe('account events', () => {
    const accountEvent = (type: string, id: string) =>
      eventually(
        () =>
          events(type)
            .map((r) => JSON.parse(r.rawBody))
            .find((e) => e.channelAccountId === id),
        20_000,
        `${type} for ${id}`,
      );

    it('sends CHANNEL_ACCOUNT_CREATED when the admin finishes connecting', async () => {
      const { body } = await hs.call('POST', '/_sandbox/connect', { token: null, json: { channelId } });
      await hs.call(
        'PATCH',
        `/conversations/v3/custom-channels/${channelId}/channel-account-staging-tokens/${body.accountToken}`,
        {
          json: {
            accountName: 'Connected bot',
            deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'connected-bot' },
          },
        },
      );
      const account = (await hs.call('POST', `/_sandbox/connect/${body.accountToken}/finish`, { token: null })).body;
      const event = await accountEvent('CHANNEL_ACCOUNT_CREATED', account.id);
      assertMatches('webhooks#ChannelAccountEvent', event);
      assert.deepEqual(
        [event.portalId, event.channelId, event.channelAccountDeliveryIdentifier.value],
        [hs.portal.portalId, channelId, 'connected-bot'],
      );
    });

    it('sends one CHANNEL_ACCOUNT_UPDATED for a rename and move to the help desk, and one for turning it off', async () => {
      const account = await hs.createAccount(channelId);
      const helpDesk = [...hs.state.inboxes.values()].find(
        (i) => i.portalId === hs.portal.portalId && i.type === 'HELP_DESK',
      )!;
      const moved = await hs.call('PATCH', `/_sandbox/channel-accounts/${account.id}`, {
        token: null,
        json: { name: 'Help desk line', inboxId: helpDesk.id },
      });
      assert.equal(moved.body.inboxId, helpDesk.id);
      await hs.call('PATCH', `/_sandbox/channel-accounts/${account.id}`, { token: null, json: { authorized: false } });
      await eventually(() =>
        events('CHANNEL_ACCOUNT_UPDATED').filter((r) => JSON.parse(r.rawBody).channelAccountId === account.id)
          .length === 2
          ? true
          : undefined,
      );
      const api = await hs.call('GET', `/conversations/v3/custom-channels/${channelId}/channel-accounts/${account.id}`);
      assert.deepEqual([api.body.name, api.body.inboxId, api.body.authorized], ['Help desk line', helpDesk.id, false]);
    });

    it('sends CHANNEL_ACCOUNT_PURGED when the admin removes the account, which stays readable with archived=true', async () => {
      const account = await hs.createAccount(channelId);
      await hs.call('DELETE', `/_sandbox/channel-accounts/${account.id}`, { token: null });
      assertMatches('webhooks#ChannelAccountEvent', await accountEvent('CHANNEL_ACCOUNT_PURGED', account.id));
      const path = `/conversations/v3/custom-channels/${channelId}/channel-accounts/${account.id}`;
      assert.equal((await hs.call('GET', path)).status, 404);
      const archived = await hs.call('GET', `${path}?archived=true`);
      assert.deepEqual([archived.body.archived, archived.body.active], [true, false]);
    });
  });
});
