import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import { listen, tempStore } from '../helpers/bridge.js';
import { ADMIN_TOKEN, startConnectWorld, type ConnectWorld } from '../helpers/connect.js';
import { concrete, servedRoutes } from './support/routes.js';

/**
 * Security check 5: every admin route refuses a missing or wrong token with 401 and a reason. The
 * routes come from the api's own OpenAPI document and from the app's router, so a route added to either
 * is checked without touching this test, /admin/openapi.json included: it is behind the token like the rest.
 */
describe('security: admin endpoints refuse a missing or wrong token', { timeout: 120_000 }, () => {
  let world: ConnectWorld;
  let routes: string[];
  before(async () => {
    world = await startConnectWorld();
    const document = (await (
      await fetch(`${world.apiUrl}/admin/openapi.json`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    assert.ok(documented.length >= 3, 'the OpenAPI document lists the admin routes');
    const app = createApp({
      store: tempStore().store,
      temporal: world.client,
      taskQueue: 'routes',
      logger: createLogger('routes', 'silent'),
      maxBodyBytes: 1024,
      checkTemporal: async () => undefined,
      adminToken: ADMIN_TOKEN,
    });
    const fromRouter = servedRoutes(app).filter((r) => r.split(' ')[1]!.startsWith('/admin/'));
    const normalised = (r: string) => r.replace(/:(\w+)/g, '{$1}');
    routes = [...new Set([...documented, ...fromRouter.map(normalised)])].sort();
    // Both sources agree on the documented routes.
    for (const route of documented)
      assert.ok(fromRouter.map(normalised).includes(route), `${route} is documented but not served`);
  });
  after(() => world.stop());

  const call = (route: string, authorization?: string) => {
    const { method, path } = concrete(route, 'inbound:1:probe');
    return fetch(`${world.apiUrl}${path}`, { method, headers: authorization === undefined ? {} : { authorization } });
  };

  it('knows every admin route (from /admin/openapi.json and the router)', () => {
    assert.ok(
      routes.includes('GET /admin/messages') &&
        routes.includes('POST /admin/messages/{id}/retry') &&
        routes.includes('GET /admin/accounts'),
      routes.join(', '),
    );
  });

  const wrongCredentials: [string, string | undefined][] = [
    ['no Authorization header', undefined],
    ['an empty bearer', 'Bearer '],
    ['a wrong token', 'Bearer not-the-admin-token-at-all'],
    ['the token minus its last character', `Bearer ${ADMIN_TOKEN.slice(0, -1)}`],
    ['the token plus one character', `Bearer ${ADMIN_TOKEN}x`],
    ['the token in another case', `Bearer ${ADMIN_TOKEN.toUpperCase()}`],
    ['the token as Basic credentials', `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`],
    ['the token without a scheme', ADMIN_TOKEN],
  ];
  for (const [what, authorization] of wrongCredentials) {
    it(`answers 401 with a reason to ${what}, on every admin route`, async () => {
      for (const route of routes) {
        const res = await call(route, authorization);
        assert.equal(res.status, 401, `${route}: ${res.status}`);
        assert.match(((await res.json()) as { error: string }).error, /admin token/i, route);
      }
    });
  }

  it('lets the right token through on every admin route (so the 401s above are the token check)', async () => {
    for (const route of routes) {
      const res = await call(route, `Bearer ${ADMIN_TOKEN}`);
      assert.notEqual(res.status, 401, route);
      assert.ok(res.status < 500 || res.status === 503, `${route}: ${res.status}`);
    }
  });

  it('refuses every admin route when no admin token is configured, whatever is sent', async () => {
    const app = createApp({
      store: tempStore().store,
      temporal: world.client,
      taskQueue: 'off',
      logger: createLogger('off', 'silent'),
      maxBodyBytes: 1024,
      checkTemporal: async () => undefined,
    });
    const off = await listen(app);
    try {
      for (const route of routes) {
        const { method, path } = concrete(route, 'inbound:1:probe');
        const res = await fetch(`${off.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
        assert.equal(res.status, 503, `${route}: ${res.status}`);
        assert.match(((await res.json()) as { error: string }).error, /BRIDGE_ADMIN_TOKEN/);
      }
    } finally {
      await new Promise<void>((resolve) => off.server.close(() => resolve()));
    }
  });
});
