import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../helpers/hubspot-sandbox.js';

const REDIRECT = 'https://bridge.example.com/oauth/callback';
const SCOPES = 'conversations.custom_channels.read conversations.custom_channels.write conversations.read files';

/** OAuth: install through the authorize page, exchange and refresh tokens, expiry and scopes. */
describe('HubSpot sandbox: OAuth', () => {
  let hs: Sandbox;
  before(async () => {
    hs = await startSandbox();
  });
  after(() => hs.close());

  /** What the install page's form posts when the admin clicks "Connect app". */
  async function install(scope = SCOPES, portalId?: string): Promise<string> {
    const decision = new URLSearchParams({
      client_id: hs.state.app.clientId,
      redirect_uri: REDIRECT,
      scope,
      state: 'csrf-123',
      ...(portalId ? { portalId } : {}),
    });
    const res = await hs.call('POST', '/oauth/authorize', { body: decision, token: null });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get('location')!);
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
    assert.equal(location.searchParams.get('state'), 'csrf-123');
    return location.searchParams.get('code')!;
  }
  const token = (fields: Record<string, string>, path = '/oauth/v3/token') =>
    hs.call('POST', path, {
      token: null,
      body: new URLSearchParams({
        client_id: hs.state.app.clientId,
        client_secret: hs.state.app.clientSecret,
        ...fields,
      }),
    });

  it('shows an install page for the app and refuses an unknown client_id', async () => {
    const page = await fetch(
      `${hs.url}/oauth/authorize?client_id=${hs.state.app.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=${encodeURIComponent(SCOPES)}`,
    );
    assert.equal(page.status, 200);
    assert.match(await page.text(), /conversations\.custom_channels\.write/);
    assert.equal(
      (await fetch(`${hs.url}/oauth/authorize?client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=files`))
        .status,
      400,
    );
  });

  it('exchanges the code for tokens that work on the API, once', async () => {
    const code = await install(SCOPES, hs.portal.portalId);
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    assert.equal(res.status, 200);
    assert.equal(res.body.hub_id, Number(hs.portal.portalId));
    assert.deepEqual(res.body.scopes, SCOPES.split(' '));
    assert.equal(res.body.expires_in, 1800);
    assert.equal(
      (await hs.call('GET', '/conversations/v3/conversations/inboxes', { token: res.body.access_token })).status,
      200,
    );
    const reused = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    assert.equal(reused.status, 400);
    assert.deepEqual([reused.body.error, reused.body.status], ['invalid_grant', 'BAD_AUTH_CODE']);
  });

  it('refuses an expired access token with 401 EXPIRED_AUTHENTICATION, and a refresh brings a working one', async () => {
    // Its own sandbox with short-lived tokens; 3 s leaves room for a slow machine between issuing and using one.
    const shortLived = await startSandbox({ accessTokenLifetimeSeconds: 3 });
    try {
      const form = (fields: Record<string, string>) =>
        new URLSearchParams({
          client_id: shortLived.state.app.clientId,
          client_secret: shortLived.state.app.clientSecret,
          ...fields,
        });
      const decision = new URLSearchParams({
        client_id: shortLived.state.app.clientId,
        redirect_uri: REDIRECT,
        scope: SCOPES,
      });
      const code = new URL(
        (await shortLived.call('POST', '/oauth/authorize', { body: decision, token: null })).headers.get('location')!,
      ).searchParams.get('code')!;
      const tokens = (
        await shortLived.call('POST', '/oauth/v3/token', {
          token: null,
          body: form({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }),
        })
      ).body;
      assert.equal(tokens.expires_in, 3);
      await new Promise((r) => setTimeout(r, 3200));
      const expired = await shortLived.call('GET', '/conversations/v3/conversations/inboxes', {
        token: tokens.access_token,
      });
      assert.equal(expired.status, 401);
      assert.equal(expired.body.category, 'EXPIRED_AUTHENTICATION');
      const refreshed = await shortLived.call('POST', '/oauth/2026-03/token', {
        token: null,
        body: form({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }),
      });
      assert.equal(refreshed.status, 200);
      assert.notEqual(refreshed.body.access_token, tokens.access_token);
      assert.equal(refreshed.body.refresh_token, tokens.refresh_token);
      assert.equal(
        (
          await shortLived.call('GET', '/conversations/v3/conversations/inboxes', {
            token: refreshed.body.access_token,
          })
        ).status,
        200,
      );
    } finally {
      await shortLived.close();
    }
  });

  it('installs into a new portal when the admin picks one, with its own inbox', async () => {
    const code = await install(SCOPES, 'new');
    const tokens = (await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).body;
    assert.notEqual(String(tokens.hub_id), hs.portal.portalId);
    const inboxes = await hs.call('GET', '/conversations/v3/conversations/inboxes', { token: tokens.access_token });
    assert.deepEqual(inboxes.body.results.map((i: { type: string }) => i.type).sort(), ['HELP_DESK', 'INBOX']);
  });

  it('refuses a call the token has no scope for, with 403 MISSING_SCOPES', async () => {
    const code = await install('files');
    const tokens = (await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).body;
    const res = await hs.call('GET', '/conversations/v3/conversations/inboxes', { token: tokens.access_token });
    assert.equal(res.status, 403);
    assert.equal(res.body.category, 'MISSING_SCOPES');
  });

  it('answers RFC 6749 errors: bad client secret, unknown refresh token, redirect mismatch, unknown grant, JSON body', async () => {
    const badSecret = await hs.call('POST', '/oauth/v3/token', {
      token: null,
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: 'x',
        client_id: hs.state.app.clientId,
        client_secret: 'wrong',
      }),
    });
    assert.equal(badSecret.body.error, 'invalid_client');
    const badRefresh = await token({ grant_type: 'refresh_token', refresh_token: 'not-a-token' });
    assert.deepEqual(
      [badRefresh.status, badRefresh.body.error, badRefresh.body.status],
      [400, 'invalid_grant', 'BAD_REFRESH_TOKEN'],
    );
    // Inside HubSpot's standard error body, as the token endpoint's reference requires.
    assert.deepEqual(
      [badRefresh.body.category, typeof badRefresh.body.correlationId, typeof badRefresh.body.message],
      ['VALIDATION_ERROR', 'string', 'string'],
    );
    const code = await install();
    assert.equal(
      (await token({ grant_type: 'authorization_code', code, redirect_uri: 'https://elsewhere.example.com/cb' })).body
        .error,
      'invalid_grant',
    );
    assert.equal((await token({ grant_type: 'password' })).body.error, 'unsupported_grant_type');
    const json = await hs.call('POST', '/oauth/v3/token', { token: null, json: { grant_type: 'refresh_token' } });
    assert.equal(json.body.error, 'invalid_request');
  });

  it('keeps secrets out of the ledger', async () => {
    await token({ grant_type: 'refresh_token', refresh_token: 'secret-refresh' });
    const entry = hs.state.ledger.filter((e) => e.path === '/oauth/v3/token').at(-1)!;
    assert.deepEqual(
      [(entry.body as Record<string, string>).client_secret, (entry.body as Record<string, string>).refresh_token],
      ['[redacted]', '[redacted]'],
    );
  });
});
