import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createTokenProvider,
  PortalNeedsReinstallError,
  PortalNotInstalledError,
} from '../../packages/bridge/src/hubspot/tokens.js';
import { ADMIN_TOKEN, startConnectWorld, type ConnectWorld } from '../helpers/connect.js';

/** Follows the install flow as a browser would: bridge → HubSpot's authorize page → "Connect app" → callback. */
async function install(world: ConnectWorld, portalId: string) {
  const start = await fetch(`${world.apiUrl}/oauth/install`, { redirect: 'manual' });
  assert.equal(start.status, 302);
  const authorize = new URL(start.headers.get('location')!);
  assert.equal(authorize.origin + authorize.pathname, `${world.hubspotUrl}/oauth/authorize`);
  const form = new URLSearchParams({ portalId });
  for (const key of ['client_id', 'redirect_uri', 'scope', 'state'])
    form.set(key, authorize.searchParams.get(key) ?? '');
  const decided = await fetch(`${world.hubspotUrl}/oauth/authorize`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const callback = decided.headers.get('location')!;
  const res = await fetch(callback);
  return { callback, authorize, status: res.status, html: await res.text() };
}

describe('OAuth install (/oauth/install, /oauth/callback)', () => {
  let world: ConnectWorld;
  before(async () => {
    world = await startConnectWorld({ oauth: true, tokenLifetimeSeconds: 3 });
  });
  after(async () => world.stop());

  it("redirects to HubSpot with the custom-channel scopes and a signed state, then stores the portal's tokens sealed", async () => {
    const { authorize, status, html } = await install(world, world.portal.portalId);
    assert.match(authorize.searchParams.get('scope')!, /conversations\.custom_channels\.write/);
    assert.match(authorize.searchParams.get('state')!, /^[\w-]+\.[\w-]+$/);
    assert.equal(status, 200, html);
    assert.match(html, new RegExp(`portal ${world.portal.portalId} is connected`));
    const tokens = await world.store.getPortalTokens(world.portal.portalId);
    assert.equal(tokens?.status, 'active');
    assert.ok(world.hubspotState.oauth.accessTokens.has(tokens!.accessToken), 'the stored token is one HubSpot issued');
  });

  it('refuses a replayed callback: the state is single use', async () => {
    const first = await install(world, world.portal.portalId);
    assert.equal(first.status, 200);
    const replay = await fetch(first.callback);
    assert.equal(replay.status, 400);
    assert.match(await replay.text(), /already used or has expired/);
  });

  it('refuses a state the bridge did not sign, before talking to HubSpot', async () => {
    const ledger = world.hubspotState.ledger?.length;
    const res = await fetch(`${world.apiUrl}/oauth/callback?code=whatever&state=forged.signature`);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /not issued by this bridge \(bad state\)/);
    assert.equal(world.hubspotState.ledger?.length, ledger);
    const none = await fetch(`${world.apiUrl}/oauth/callback?code=whatever`);
    assert.equal(none.status, 400);
  });

  it("shows HubSpot's refusal of a bad code, and the state is spent", async () => {
    const start = await fetch(`${world.apiUrl}/oauth/install`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const res = await fetch(`${world.apiUrl}/oauth/callback?code=not-a-code&state=${encodeURIComponent(state)}`);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /HubSpot refused the install \(invalid_grant/);
  });

  it('says why when the admin declined in HubSpot', async () => {
    const res = await fetch(`${world.apiUrl}/oauth/callback?error=access_denied&error_description=The+user+declined`);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /did not install the app \(access_denied: The user declined\)/);
  });

  it('installs a second, new portal alongside the first', async () => {
    const { html } = await install(world, 'new');
    const portalId = /portal (\d+) is connected/.exec(html)?.[1];
    assert.ok(portalId && portalId !== world.portal.portalId);
    assert.equal((await world.store.getPortalTokens(portalId))?.status, 'active');
  });

  it('refreshes an access token before it expires, once for concurrent callers', async () => {
    const portalId = world.portal.portalId;
    await install(world, portalId);
    const before = (await world.store.getPortalTokens(portalId))!;
    await new Promise((r) => setTimeout(r, 2100)); // lifetime 3 s, margin 1 s
    const provider = createTokenProvider({ store: world.store, oauth: oauthOf(world), refreshMarginSeconds: 1 });
    const tokens = await Promise.all([1, 2, 3, 4].map(() => provider.accessTokenFor(portalId)));
    assert.equal(new Set(tokens).size, 1, 'one refresh shared by every caller');
    assert.notEqual(tokens[0], before.accessToken);
    assert.ok(Date.parse((await world.store.getPortalTokens(portalId))!.expiresAt) > Date.parse(before.expiresAt));
  });

  it('survives a revoked refresh token with a clear "reinstall" state, and a reinstall clears it', async () => {
    const portalId = world.portal.portalId;
    await install(world, portalId);
    const stored = (await world.store.getPortalTokens(portalId))!;
    world.hubspotState.oauth.refreshTokens.delete(stored.refreshToken); // revoked in HubSpot
    const provider = createTokenProvider({ store: world.store, oauth: oauthOf(world), refreshMarginSeconds: 3600 });
    await assert.rejects(
      provider.accessTokenFor(portalId),
      (e: unknown) =>
        e instanceof PortalNeedsReinstallError &&
        /must reinstall channel-bridge.*refresh token is invalid/.test(e.message),
    );
    assert.equal((await world.store.getPortalTokens(portalId))?.status, 'reinstall');
    await assert.rejects(
      provider.accessTokenFor(portalId),
      PortalNeedsReinstallError,
      'stays in reinstall without calling HubSpot again',
    );
    const admin = await fetch(`${world.apiUrl}/admin/portals`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const listed = ((await admin.json()) as { portals: { portalId: string; status: string; statusReason?: string }[] })
      .portals;
    assert.equal(listed.find((p) => p.portalId === portalId)?.status, 'reinstall');
    assert.ok(!JSON.stringify(listed).includes(stored.accessToken), 'the admin listing shows no token');
    await install(world, portalId);
    assert.equal((await world.store.getPortalTokens(portalId))?.status, 'active');
  });

  it('refuses an unknown portal without a static token, and serves it with one (single-portal mode)', async () => {
    const oauthOnly = createTokenProvider({ store: world.store, oauth: oauthOf(world) });
    await assert.rejects(oauthOnly.accessTokenFor('999999'), PortalNotInstalledError);
    const single = createTokenProvider({ store: world.store, staticToken: 'pat-static' });
    assert.equal(await single.accessTokenFor('999999'), 'pat-static');
  });

  it('guards the admin endpoints with the admin token', async () => {
    assert.equal((await fetch(`${world.apiUrl}/admin/portals`)).status, 401);
    assert.equal(
      (await fetch(`${world.apiUrl}/admin/accounts`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } }))
        .status,
      401,
    );
    assert.equal(
      (await fetch(`${world.apiUrl}/admin/accounts`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status,
      200,
    );
  });
});

function oauthOf(world: ConnectWorld) {
  const app = world.hubspotState.app;
  return {
    baseUrl: world.hubspotUrl,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: `${world.apiUrl}/oauth/callback`,
  };
}
