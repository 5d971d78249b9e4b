import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@hubspot/api-client';
import { assertMatches } from '../helpers/hubspot-schemas.js';
import { startSandbox, type Sandbox } from '../helpers/hubspot-sandbox.js';

const REDIRECT = 'https://bridge.example.com/oauth/callback';

/** HubSpot's own Node client, pointed at the sandbox with `basePath`, gets what it would get from api.hubapi.com. */
describe('HubSpot sandbox through @hubspot/api-client', () => {
  let hs: Sandbox;
  before(async () => {
    hs = await startSandbox();
  });
  after(() => hs.close());

  it('registers a channel with developerApiKey auth and publishes a message with an access token', async () => {
    const developer = new Client({ developerApiKey: hs.state.app.developerApiKey, basePath: hs.url });
    const channelRes = await developer.apiRequest({
      method: 'POST',
      path: '/conversations/v3/custom-channels',
      qs: { appId: hs.state.app.appId },
      authType: 'developerApiKey',
      body: {
        name: 'SDK channel',
        capabilities: {
          threadingModel: 'INTEGRATION_THREAD_ID',
          deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'],
        },
      },
    });
    assert.equal(channelRes.status, 201);
    const channel = (await channelRes.json()) as { id: string };
    assertMatches('custom-channels#Channel', channel);
    const account = await hs.createAccount(channel.id);

    const portal = new Client({ accessToken: hs.portal.accessToken, basePath: hs.url });
    const res = await portal.apiRequest({
      method: 'POST',
      path: `/conversations/v3/custom-channels/${channel.id}/messages`,
      body: hs.incoming(account.id),
    });
    assert.equal(res.status, 201);
    assertMatches('custom-channels#Message', await res.json());
  });

  it('uploads with filesApi.upload (multipart, options as a JSON string) and reads a signed URL', async () => {
    const portal = new Client({ accessToken: hs.portal.accessToken, basePath: hs.url });
    const uploaded = (await portal.files.filesApi.upload(
      { data: Buffer.from('voice bytes'), name: 'voice.ogg' },
      undefined,
      '/conversations',
      'voice.ogg',
      undefined,
      JSON.stringify({ access: 'PRIVATE', overwrite: false }),
    )) as { id: string; path: string };
    assert.equal(uploaded.path, '/conversations/voice.ogg');
    const signed = await portal.files.filesApi.getSignedUrl(uploaded.id);
    assert.equal(await (await fetch(signed.url)).text(), 'voice bytes');
  });

  it('exchanges and refreshes tokens with oauth.tokensApi (the deprecated v1 path it still calls)', async () => {
    const decision = new URLSearchParams({
      client_id: hs.state.app.clientId,
      redirect_uri: REDIRECT,
      scope: 'conversations.read',
    });
    const code = new URL(
      (await hs.call('POST', '/oauth/authorize', { token: null, body: decision })).headers.get('location')!,
    ).searchParams.get('code')!;
    const oauth = new Client({ basePath: hs.url }).oauth.tokensApi;
    const tokens = await oauth.create(
      'authorization_code',
      code,
      REDIRECT,
      hs.state.app.clientId,
      hs.state.app.clientSecret,
    );
    assert.equal(tokens.expiresIn, 1800);
    const refreshed = await oauth.create(
      'refresh_token',
      undefined,
      undefined,
      hs.state.app.clientId,
      hs.state.app.clientSecret,
      tokens.refreshToken,
    );
    const inboxes = await new Client({ accessToken: refreshed.accessToken, basePath: hs.url }).apiRequest({
      method: 'GET',
      path: '/conversations/v3/conversations/inboxes',
    });
    assert.equal(inboxes.status, 200);
  });
});
