import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../helpers/hubspot-sandbox.js';

/** Channel registration and administration: developer API key + appId, capabilities checked as HubSpot does. */
describe('HubSpot sandbox: custom channels', () => {
  let hs: Sandbox;
  before(async () => {
    hs = await startSandbox();
  });
  after(() => hs.close());

  it('registers a channel with the developer API key and appId, and answers the channel with a numeric string id', async () => {
    const res = await hs.call('POST', `/conversations/v3/custom-channels?${hs.dev}`, {
      token: null,
      json: {
        name: 'Acme Messenger',
        webhookUrl: 'https://bridge.example.com/hubspot/webhook',
        capabilities: { deliveryIdentifierTypes: ['HS_PHONE_NUMBER'], threadingModel: 'DELIVERY_IDENTIFIER' },
      },
    });
    assert.equal(res.status, 201);
    assert.match(res.body.id, /^\d+$/);
    assert.equal(res.body.webhookUrl, 'https://bridge.example.com/hubspot/webhook');
  });

  it('refuses registration without a developer API key, with a wrong one, or with the wrong appId', async () => {
    const body = { name: 'x', capabilities: {} };
    const none = await hs.call('POST', `/conversations/v3/custom-channels?appId=${hs.state.app.appId}`, {
      token: null,
      json: body,
    });
    assert.equal(none.status, 401);
    assert.equal(none.body.category, 'INVALID_AUTHENTICATION');
    const wrongKey = await hs.call(
      'POST',
      `/conversations/v3/custom-channels?hapikey=nope&appId=${hs.state.app.appId}`,
      { token: null, json: body },
    );
    assert.equal(wrongKey.status, 401);
    const wrongApp = await hs.call(
      'POST',
      `/conversations/v3/custom-channels?hapikey=${hs.state.app.developerApiKey}&appId=1`,
      { token: null, json: body },
    );
    assert.equal(wrongApp.status, 401);
  });

  it('does not take a portal bearer token for channel registration', async () => {
    const res = await hs.call('POST', '/conversations/v3/custom-channels', { json: { name: 'x', capabilities: {} } });
    assert.equal(res.status, 401);
  });

  it('refuses deliveryIdentifierTypes given as {type, value} objects with INVALID_CHANNEL_CAPABILITY_VALUES', async () => {
    const res = await hs.call('POST', `/conversations/v3/custom-channels?${hs.dev}`, {
      token: null,
      json: { name: 'x', capabilities: { deliveryIdentifierTypes: [{ type: 'HS_EMAIL_ADDRESS', value: 'a@b.c' }] } },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.category, 'VALIDATION_ERROR');
    assert.equal(res.body.subCategory, 'CustomChannelsError.INVALID_CHANNEL_CAPABILITY_VALUES');
    assert.match(
      res.body.message,
      /^One or more Channel Capabilities specified had invalid values: deliveryIdentifierTypes/,
    );
    assert.equal(res.body.context.capabilityKeysAndValues.length, 1);
  });

  it('refuses an unknown threading model and a non-boolean allow flag, naming each', async () => {
    const res = await hs.call('POST', `/conversations/v3/custom-channels?${hs.dev}`, {
      token: null,
      json: { name: 'x', capabilities: { threadingModel: 'BY_MAGIC', allowOutgoingMessages: 'yes' } },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.errors.map((e: { in: string }) => e.in).sort(), [
      'capabilities.allowOutgoingMessages',
      'capabilities.threadingModel',
    ]);
  });

  it('answers VALIDATION_ERROR with one entry per missing field', async () => {
    const res = await hs.call('POST', `/conversations/v3/custom-channels?${hs.dev}`, {
      token: null,
      json: { webhookUrl: 'not a url' },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.errors.map((e: { in: string }) => e.in).sort(), ['capabilities', 'name', 'webhookUrl']);
  });

  it('answers malformed JSON with VALIDATION_ERROR', async () => {
    const res = await hs.call('POST', `/conversations/v3/custom-channels?${hs.dev}`, {
      token: null,
      body: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.category, 'VALIDATION_ERROR');
  });

  it('lists, reads, updates and archives channels', async () => {
    const channel = await hs.registerChannel({ name: 'To archive' });
    const list = await hs.call('GET', `/conversations/v3/custom-channels?${hs.dev}&limit=100`, { token: null });
    assert.ok(list.body.results.some((c: { id: string }) => c.id === channel.id));
    assert.equal(list.body.total, list.body.results.length);
    const got = await hs.call('GET', `/conversations/v3/custom-channels/${channel.id}?${hs.dev}`, { token: null });
    assert.equal(got.body.name, 'To archive');
    const patched = await hs.call('PATCH', `/conversations/v3/custom-channels/${channel.id}?${hs.dev}`, {
      token: null,
      json: { name: 'Renamed', channelDescription: 'd' },
    });
    assert.equal(patched.body.name, 'Renamed');
    assert.equal(patched.body.capabilities.threadingModel, 'INTEGRATION_THREAD_ID');
    const archived = await hs.call('DELETE', `/conversations/v3/custom-channels/${channel.id}?${hs.dev}`, {
      token: null,
    });
    assert.equal(archived.status, 204);
    const gone = await hs.call('GET', `/conversations/v3/custom-channels/${channel.id}?${hs.dev}`, { token: null });
    assert.equal(gone.status, 404);
    assert.equal(gone.body.category, 'OBJECT_NOT_FOUND');
  });

  it('pages a long list with `after`', async () => {
    for (let i = 0; i < 3; i += 1) await hs.registerChannel({ name: `Paged ${i}` });
    const first = await hs.call('GET', `/conversations/v3/custom-channels?${hs.dev}&limit=2`, { token: null });
    assert.equal(first.body.results.length, 2);
    const second = await hs.call(
      'GET',
      `/conversations/v3/custom-channels?${hs.dev}&limit=2&after=${first.body.paging.next.after}`,
      { token: null },
    );
    assert.notEqual(second.body.results[0].id, first.body.results[0].id);
  });

  it('serves the same operations under the 2026-03 prefix and list/create under the spec quirk path', async () => {
    const dated = await hs.call('POST', `/conversations/custom-channels/2026-03?${hs.dev}`, {
      token: null,
      json: { name: 'Dated', capabilities: {} },
    });
    assert.equal(dated.status, 201);
    const get = await hs.call('GET', `/conversations/custom-channels/2026-03/${dated.body.id}?${hs.dev}`, {
      token: null,
    });
    assert.equal(get.body.name, 'Dated');
    const quirk = await hs.call('GET', `/conversations/custom-channels/v3?${hs.dev}&limit=500`, { token: null });
    assert.ok(quirk.body.results.some((c: { id: string }) => c.id === dated.body.id));
    const quirkCreate = await hs.call('POST', `/conversations/custom-channels/v3?${hs.dev}`, {
      token: null,
      json: { name: 'Quirk', capabilities: {} },
    });
    assert.equal(quirkCreate.status, 201);
  });
});
