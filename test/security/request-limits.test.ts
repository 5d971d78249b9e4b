import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { createHttpServer } from '../../packages/bridge/src/api/http-server.js';
import { freePort } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import { startConnectWorld, type ConnectWorld } from '../helpers/connect.js';
import { tempStore } from '../helpers/bridge.js';
import { temporalAddress, waitFor } from '../helpers/temporal.js';
import { rawRequest } from './support/raw-http.js';
import { concrete, servedRoutes } from './support/routes.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAX_BODY = 64 * 1024;
const BOUNDS = { headersTimeoutMs: 1000, requestTimeoutMs: 2000, checkIntervalMs: 250 };
const trickled = (chunk: string, times: number) => ({ chunk, everyMs: 150, times });

/**
 * Security check 7: slow clients are cut off, and no route reads a body without a limit. The slowloris
 * clients talk to the server built as src/server.ts builds it (createHttpServer), with short bounds
 * injected, and once to the real entrypoint with its production bounds.
 */
describe('security: slow clients time out', { timeout: 120_000 }, () => {
  let server: http.Server;
  let port: number;
  before(async () => {
    const app = createApp({
      store: tempStore().store,
      temporal: {} as never,
      taskQueue: 'slow',
      logger: createLogger('slow', 'silent'),
      maxBodyBytes: MAX_BODY,
      checkTemporal: async () => undefined,
    });
    server = createHttpServer(app, BOUNDS);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

  const bound = BOUNDS.requestTimeoutMs + BOUNDS.checkIntervalMs + 500;

  it('answers 408 and hangs up on a client that trickles its headers a byte at a time', async (t) => {
    const result = await rawRequest(port, {
      head: 'POST /webhooks/hubspot HTTP/1.1\r\nHost: x\r\n',
      trickle: trickled('X', 100),
      capMs: 10_000,
    });
    t.diagnostic(`closed by the server after ${result.closedAfterMs} ms`);
    assert.ok(result.closedByServer, 'the connection was still open');
    assert.ok(
      result.closedAfterMs <= BOUNDS.headersTimeoutMs + BOUNDS.checkIntervalMs + 500,
      `closed after ${result.closedAfterMs} ms`,
    );
    assert.equal(result.status, 408, result.response);
  });

  it('answers 408 and hangs up on a client that trickles its body', async (t) => {
    const head =
      'POST /webhooks/hubspot HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{';
    const result = await rawRequest(port, { head, trickle: trickled(' ', 100), capMs: 10_000 });
    t.diagnostic(`closed by the server after ${result.closedAfterMs} ms`);
    assert.ok(result.closedByServer, 'the connection was still open');
    assert.ok(result.closedAfterMs <= bound, `closed after ${result.closedAfterMs} ms`);
    assert.equal(result.status, 408, result.response);
  });

  it('hangs up on a client that connects and sends nothing', async (t) => {
    const result = await rawRequest(port, { head: '', capMs: 10_000 });
    t.diagnostic(`closed by the server after ${result.closedAfterMs} ms`);
    assert.ok(result.closedByServer && result.closedAfterMs <= bound, `closed after ${result.closedAfterMs} ms`);
  });

  it('the real api entrypoint (src/server.ts) cuts off a slow client within its production bounds (10 s for headers)', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-slow-'));
    const apiPort = await freePort();
    const env = {
      ...process.env,
      BRIDGE_API_PORT: String(apiPort),
      BRIDGE_API_HOST: '127.0.0.1',
      BRIDGE_SQLITE_PATH: path.join(dir, 'bridge.sqlite'),
      BRIDGE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      HUBSPOT_CHANNEL_ID: '1',
      HUBSPOT_CLIENT_ID: 'unused',
      HUBSPOT_CLIENT_SECRET: 'unused',
      BRIDGE_PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
      TEMPORAL_ADDRESS: temporalAddress(),
      LOG_LEVEL: 'silent',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'packages/bridge/src/server.ts')], {
      cwd: ROOT,
      env,
      stdio: 'ignore',
    });
    try {
      await waitFor(
        () =>
          fetch(`http://127.0.0.1:${apiPort}/healthz`).then(
            (r) => (r.ok ? true : undefined),
            () => undefined,
          ),
        30_000,
        'the api to listen',
      );
      const result = await rawRequest(apiPort, {
        head: 'POST /webhooks/hubspot HTTP/1.1\r\nHost: x\r\n',
        trickle: { chunk: 'X', everyMs: 500, times: 60 },
        capMs: 20_000,
      });
      t.diagnostic(`closed by the server after ${result.closedAfterMs} ms`);
      assert.ok(result.closedByServer, 'the connection was still open after 20 s');
      assert.ok(
        result.closedAfterMs >= 9_000 && result.closedAfterMs <= 12_000,
        `closed after ${result.closedAfterMs} ms`,
      );
      assert.equal(result.status, 408);
    } finally {
      child.kill();
    }
  });
});

describe('security: every route that takes a body has a limit', { timeout: 120_000 }, () => {
  let world: ConnectWorld;
  let posts: string[];
  before(async () => {
    world = await startConnectWorld();
    const app = createApp({
      store: world.store,
      temporal: world.client,
      taskQueue: 'routes',
      logger: createLogger('routes', 'silent'),
      maxBodyBytes: MAX_BODY,
      checkTemporal: async () => undefined,
      connect: {} as never,
      adminToken: 'x'.repeat(16),
    });
    posts = servedRoutes(app).filter((route) => /^(POST|PUT|PATCH|DELETE) /.test(route));
  });
  after(() => world.stop());

  it('finds the routes that take a body (from the router, so a new one is checked too)', () => {
    for (const route of [
      'POST /webhooks/:provider/:accountId',
      'POST /webhooks/hubspot',
      'POST /connect',
      'POST /admin/messages/:id/retry',
    ])
      assert.ok(posts.includes(route), `${route} in ${posts.join(', ')}`);
  });

  it('answers a body declared larger than the limit at once (413, or a refusal before any body is read), and hangs up', async () => {
    const port = Number(new URL(world.apiUrl).port);
    for (const route of posts) {
      const { method, path: target } = concrete(route);
      const head = `${method} ${target} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`;
      const result = await rawRequest(port, {
        head,
        trickle: { chunk: Buffer.alloc(16 * 1024, 0x20), everyMs: 20, times: 500 },
        capMs: 15_000,
      });
      // 401: no admin token or console session; 403: the console's same-site or secure-cookie refusal.
      assert.ok([413, 401, 403].includes(result.status ?? 0), `${route}: ${result.response.slice(0, 200)}`);
      if (result.status === 413) assert.match(result.response, /request body is larger than the limit of \d+ bytes/);
      assert.ok(
        result.bytesBeforeAnswer < 2 * 1024 * 1024,
        `${route}: answered only after ${result.bytesBeforeAnswer} bytes`,
      );
      assert.ok(result.closedByServer, `${route}: the server kept reading the 50 MB body`);
    }
  });

  it('stops a chunked body (no Content-Length) at the limit with 413', async () => {
    const port = Number(new URL(world.apiUrl).port);
    // Admin routes and the console's signed-in actions refuse before any body is read (the test above).
    for (const route of posts.filter((r) => !r.includes('/admin/') && !/^POST \/console\/(logout|messages)/.test(r))) {
      const { method, path: target } = concrete(route);
      const head = `${method} ${target} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n`;
      const chunk = `4000\r\n${'a'.repeat(0x4000)}\r\n`;
      const result = await rawRequest(port, { head, trickle: { chunk, everyMs: 5, times: 2000 }, capMs: 20_000 });
      assert.equal(result.status, 413, `${route}: ${result.response.slice(0, 200)}`);
      assert.ok(
        result.bytesBeforeAnswer < 4 * 1024 * 1024,
        `${route}: answered only after ${result.bytesBeforeAnswer} bytes`,
      );
    }
  });
});
