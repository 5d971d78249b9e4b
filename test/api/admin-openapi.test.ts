import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { Express } from 'express';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { adminOpenApi } from '../../packages/bridge/src/api/openapi/admin.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import { listen, tempStore } from '../helpers/bridge.js';
import { connectClient } from '../helpers/temporal.js';
import { concrete, servedRoutes } from '../security/support/routes.js';

const TOKEN = 'admin-token-for-openapi-tests-0123';

type Operation = { responses: Record<string, unknown> };
const documented = new Map<string, Operation>(
  Object.entries(adminOpenApi.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(
      ([method, op]) => [`${method.toUpperCase()} ${path}`, op] as const,
    ),
  ),
);

/** Every admin route the app's routers serve, found by walking Express's router stack, in the document's notation. */
const adminRoutesOf = (app: Express) =>
  [
    ...new Set(
      servedRoutes(app)
        .filter((r) => r.split(' ')[1]!.startsWith('/admin'))
        .map((r) => r.replace(/:(\w+)/g, '{$1}')),
    ),
  ].sort();

describe('admin API OpenAPI document', { timeout: 60_000 }, () => {
  let apps: { on: { url: string; close: () => Promise<void> }; off: { url: string; close: () => Promise<void> } };
  let routes: string[];
  let closeClient: () => Promise<void>;
  before(async () => {
    const temporal = await connectClient();
    closeClient = temporal.close;
    const make = (adminToken?: string) =>
      createApp({
        store: tempStore().store,
        temporal: temporal.client,
        taskQueue: 'openapi',
        logger: createLogger('openapi', 'silent'),
        maxBodyBytes: 1024,
        checkTemporal: async () => undefined,
        adminToken,
      });
    const served = async (app: Express) => {
      const { server, url } = await listen(app);
      return { url, close: () => new Promise<void>((r) => server.close(() => r())) };
    };
    const on = make(TOKEN);
    routes = adminRoutesOf(on);
    apps = { on: await served(on), off: await served(make(undefined)) };
  });
  after(async () => {
    await apps?.on.close();
    await apps?.off.close();
    await closeClient?.();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(adminOpenApi)) as Record<string, unknown>);
    assert.deepEqual(result.errors ?? [], []);
    assert.equal(result.valid, true);
    assert.equal(validator.version, '3.1');
  });

  it("describes every admin route the app's routers serve, and nothing they do not", () => {
    assert.ok(
      routes.includes('GET /admin/accounts') &&
        routes.includes('GET /admin/portals') &&
        routes.includes('GET /admin/messages/{id}'),
      routes.join(', '),
    );
    assert.deepEqual(routes, [...documented.keys()].sort());
  });

  it('says every operation needs the admin token, and may answer 401, 503 and 500', () => {
    assert.deepEqual(adminOpenApi.security, [{ adminToken: [] }]);
    for (const [route, operation] of documented) {
      assert.deepEqual(
        ['401', '503', '500'].filter((status) => !operation.responses[status]),
        [],
        route,
      );
    }
  });

  const call = (base: string, route: string, authorization?: string, query = '') => {
    const { method, path } = concrete(route, 'no-such-id');
    return fetch(`${base}${path}${query}`, { method, headers: authorization ? { authorization } : {} });
  };
  const assertDocumented = (route: string, status: number) =>
    assert.ok(
      documented.get(route)?.responses[String(status)],
      `${route} answered ${status}, which the document does not describe`,
    );

  it('describes each answer each route gives: without a configured token, without a token, with the token', async () => {
    for (const route of routes) {
      const off = await call(apps.off.url, route, `Bearer ${TOKEN}`);
      assert.equal(off.status, 503, route);
      assert.match(
        ((await off.json()) as { error: string }).error,
        /^admin API disabled: set BRIDGE_ADMIN_TOKEN/,
        route,
      );
      assertDocumented(route, off.status);
      const anonymous = await call(apps.on.url, route);
      assert.equal(anonymous.status, 401, route);
      assertDocumented(route, anonymous.status);
      const admitted = await call(apps.on.url, route, `Bearer ${TOKEN}`);
      assert.ok(admitted.status !== 401 && admitted.status < 500, `${route}: ${admitted.status}`);
      assertDocumented(route, admitted.status);
    }
  });

  it('describes the refusal of a bad filter', async () => {
    for (const route of ['GET /admin/messages', 'GET /admin/dead-letters']) {
      const res = await call(apps.on.url, route, `Bearer ${TOKEN}`, '?limit=0');
      assert.equal(res.status, 400, route);
      assertDocumented(route, res.status);
    }
  });

  it('is served only behind the admin token, and is the document this module exports', async () => {
    assert.equal((await fetch(`${apps.on.url}/admin/openapi.json`)).status, 401);
    const res = await fetch(`${apps.on.url}/admin/openapi.json`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), JSON.parse(JSON.stringify(adminOpenApi)));
  });
});
