import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../helpers/hubspot-sandbox.js';

/** Acting as a rep through /_sandbox, and the Conversations API that shows the result. */
describe('HubSpot sandbox: rep actions and conversations', () => {
  let hs: Sandbox;
  let channelId: string;
  let accountId: string;
  before(async () => {
    hs = await startSandbox();
    channelId = (
      await hs.registerChannel({
        capabilities: {
          threadingModel: 'INTEGRATION_THREAD_ID',
          deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'],
          maxFileAttachmentCount: 1,
          allowedFileAttachmentMimeTypes: ['image/*'],
        },
      })
    ).id;
    accountId = (await hs.createAccount(channelId)).id;
  });
  after(() => hs.close());

  const newThread = async () =>
    (await hs.publish(channelId, hs.incoming(accountId, { integrationThreadId: `t-${Math.random()}` }))).body
      .conversationsThreadId as string;
  const control = (method: string, path: string, json?: unknown) =>
    hs.call(method, `/_sandbox${path}`, { token: null, json });
  const uploadAsRep = async (name: string, type: string) => {
    const data = new FormData();
    data.set('file', new Blob([Buffer.from('bytes')], { type }), name);
    return (await hs.call('POST', '/_sandbox/files', { token: null, body: data })).body.id as string;
  };

  it('keeps the name a rep gave each attachment, even when two have the same name', async () => {
    const first = await uploadAsRep('invoice.pdf', 'application/pdf');
    const second = await uploadAsRep('invoice.pdf', 'application/pdf');
    assert.notEqual(first, second);
    for (const id of [first, second]) {
      const file = (await hs.call('GET', `/files/v3/files/${id}`)).body as { name: string; extension: string };
      assert.equal(`${file.name}.${file.extension}`, 'invoice.pdf', `file ${id}`);
    }
  });

  it('lists inboxes: the default inbox and the help desk', async () => {
    const res = await hs.call('GET', '/conversations/v3/conversations/inboxes');
    assert.deepEqual(res.body.results.map((i: { type: string }) => i.type).sort(), ['HELP_DESK', 'INBOX']);
    assert.ok(res.body.results.some((i: { id: string }) => i.id === hs.portal.inboxId));
  });

  it("shows a thread and its messages in order, a rep's reply last", async () => {
    const threadId = await newThread();
    const reply = await control('POST', `/threads/${threadId}/replies`, { text: 'On it' });
    assert.equal(reply.status, 201);
    const thread = await hs.call('GET', `/conversations/v3/conversations/threads/${threadId}`);
    assert.deepEqual(
      [thread.body.status, thread.body.inboxId, thread.body.originalChannelId],
      ['OPEN', hs.portal.inboxId, channelId],
    );
    const messages = await hs.call('GET', `/conversations/v3/conversations/threads/${threadId}/messages`);
    assert.deepEqual(
      messages.body.results.map((m: { direction: string }) => m.direction),
      ['INCOMING', 'OUTGOING'],
    );
  });

  it('lists threads filtered by threadStatus and inbox (the documented filters), and pages them', async () => {
    const threadId = await newThread();
    await hs.call('PATCH', `/conversations/v3/conversations/threads/${threadId}`, { json: { status: 'CLOSED' } });
    const closed = await hs.call(
      'GET',
      `/conversations/v3/conversations/threads?threadStatus=CLOSED&inboxId=${hs.portal.inboxId}&limit=100`,
    );
    assert.ok(closed.body.results.some((t: { id: string }) => t.id === threadId));
    assert.ok(closed.body.results.every((t: { status: string }) => t.status === 'CLOSED'));
    const open = await hs.call('GET', '/conversations/v3/conversations/threads?threadStatus=OPEN&limit=100');
    assert.ok(open.body.results.length > 0 && open.body.results.every((t: { status: string }) => t.status === 'OPEN'));
    assert.equal((await hs.call('GET', '/conversations/v3/conversations/threads?threadStatus=DONE')).status, 400);
    assert.equal(
      (await hs.call('GET', '/conversations/v3/conversations/threads?archived=true&limit=100')).body.results.length,
      0,
    );
    await newThread();
    const first = await hs.call('GET', '/conversations/v3/conversations/threads?limit=1');
    assert.equal(first.body.results.length, 1);
    assert.ok(first.body.paging.next.after);
  });

  it('closes and reopens a thread through the API and through the control API', async () => {
    const threadId = await newThread();
    const closed = await hs.call('PATCH', `/conversations/v3/conversations/threads/${threadId}`, {
      json: { status: 'CLOSED' },
    });
    assert.equal(closed.body.status, 'CLOSED');
    assert.ok(closed.body.closedAt);
    assert.equal((await control('POST', `/threads/${threadId}/reopen`)).body.status, 'OPEN');
    assert.equal((await control('POST', `/threads/${threadId}/close`)).body.status, 'CLOSED');
    const bad = await hs.call('PATCH', `/conversations/v3/conversations/threads/${threadId}`, {
      json: { status: 'SNOOZED' },
    });
    assert.equal(bad.status, 400);
  });

  it('reassigns and unassigns the owner', async () => {
    const threadId = await newThread();
    assert.equal((await control('POST', `/threads/${threadId}/assign`, { actorId: 'A-42' })).body.assignedTo, 'A-42');
    assert.equal((await control('POST', `/threads/${threadId}/assign`, { actorId: null })).body.assignedTo, undefined);
    assert.equal((await control('POST', `/threads/${threadId}/assign`, { actorId: 'V-1' })).status, 400);
  });

  it('refuses an empty reply, a reply to an unknown thread, and files the channel does not accept', async () => {
    const threadId = await newThread();
    assert.equal((await control('POST', `/threads/${threadId}/replies`, { text: '  ' })).status, 400);
    assert.equal((await control('POST', '/threads/1/replies', { text: 'x' })).status, 404);
    const pdf = await uploadAsRep('a.pdf', 'application/pdf');
    const refused = await control('POST', `/threads/${threadId}/replies`, { fileIds: [pdf] });
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /does not accept application\/pdf/);
    const [a, b] = [await uploadAsRep('a.png', 'image/png'), await uploadAsRep('b.png', 'image/png')];
    assert.match(
      (await control('POST', `/threads/${threadId}/replies`, { fileIds: [a, b] })).body.message,
      /at most 1 file/,
    );
  });

  it('refuses a reply when the account is turned off', async () => {
    const account = await hs.createAccount(channelId);
    const threadId = (await hs.publish(channelId, hs.incoming(account.id))).body.conversationsThreadId;
    await control('PATCH', `/channel-accounts/${account.id}`, { authorized: false });
    const res = await control('POST', `/threads/${threadId}/replies`, { text: 'hello?' });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /turned off/);
  });

  it('shows the statuses the integration reported on a reply', async () => {
    const threadId = await newThread();
    const reply = (await control('POST', `/threads/${threadId}/replies`, { text: 'Tracking number 123' })).body;
    await hs.call('PATCH', `/conversations/v3/custom-channels/${channelId}/messages/${reply.id}`, {
      json: { statusType: 'FAILED', errorMessage: 'Chat not found' },
    });
    const view = await control('GET', `/threads/${threadId}`);
    const shown = view.body.messages.find((m: { id: string }) => m.id === reply.id);
    assert.deepEqual(
      shown.statusUpdates.map((u: { statusType: string; errorMessage: string }) => [u.statusType, u.errorMessage]),
      [['FAILED', 'Chat not found']],
    );
    assert.equal(shown.status.failureDetails.errorMessage, 'Chat not found');
  });

  it('streams changes as server-sent events for live pages', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${hs.url}/_sandbox/events`, { signal: controller.signal });
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
    const threadId = await newThread();
    const reader = stream.body!.getReader();
    let seen = '';
    while (!seen.includes('"event":"message.created"')) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    assert.match(seen, new RegExp(`"event":"thread.updated","id":"${threadId}"`));
  });

  it("hides another portal's thread", async () => {
    const threadId = await newThread();
    const code = new URL(
      (
        await hs.call('POST', '/oauth/authorize', {
          token: null,
          body: new URLSearchParams({
            client_id: hs.state.app.clientId,
            redirect_uri: 'https://x.example.com/cb',
            scope: 'conversations.read',
            portalId: 'new',
          }),
        })
      ).headers.get('location')!,
    ).searchParams.get('code')!;
    const tokens = (
      await hs.call('POST', '/oauth/v3/token', {
        token: null,
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: 'https://x.example.com/cb',
          client_id: hs.state.app.clientId,
          client_secret: hs.state.app.clientSecret,
        }),
      })
    ).body;
    assert.equal(
      (await hs.call('GET', `/conversations/v3/conversations/threads/${threadId}`, { token: tokens.access_token }))
        .status,
      404,
    );
  });
});
