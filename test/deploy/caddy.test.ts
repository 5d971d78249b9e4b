import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, stopChild } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import { waitFor } from '../helpers/temporal.js';
import { ROOT } from './built-app.js';

/** A Caddy of 2.7 or later (dynamic upstreams): CADDY_PATH, or `caddy` on PATH. Debian's 2.6 is too old. */
function findCaddy(): string | { reason: string } {
  for (const candidate of [process.env.CADDY_PATH, 'caddy'].filter((c): c is string => Boolean(c))) {
    const run = spawnSync(candidate, ['list-modules'], { encoding: 'utf8', timeout: 30_000 });
    if (run.status === 0 && run.stdout.includes('http.reverse_proxy.upstreams.a')) return candidate;
  }
  return {
    reason:
      'no Caddy with dynamic upstreams (2.7+): set CADDY_PATH, e.g. to a `go install github.com/caddyserver/caddy/v2/cmd/caddy@v2.11.9`',
  };
}

/**
 * deploy/Caddyfile served by a real Caddy on loopback, in front of a stand-in api: the site is plain http on a free
 * port and the upstream `api:3000` becomes the stand-in's `localhost:<port>`; everything else is the file as shipped.
 */
describe('deploy/Caddyfile in a real Caddy', { timeout: 120_000 }, () => {
  const caddy = findCaddy();
  const skip = typeof caddy === 'string' ? false : caddy.reason;
  const reached: string[] = [];
  let api: Server;
  let proxy: ChildProcess | undefined;
  let base: string;
  let output = '';

  before(async () => {
    if (skip) return;
    api = await new Promise<Server>((resolve) => {
      const server = createServer((req, res) => {
        reached.push(req.url ?? '');
        res.end('from the api');
      }).listen(0, '127.0.0.1', () => resolve(server));
    });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-caddy-'));
    const shipped = fs.readFileSync(path.join(ROOT, 'deploy/Caddyfile'), 'utf8');
    const local = shipped
      .replace(/\bname api\b/, 'name localhost')
      .replace(/\bport 3000\b/, `port ${(api.address() as AddressInfo).port}`);
    assert.notEqual(local, shipped);
    fs.writeFileSync(path.join(dir, 'Caddyfile'), `{\n\tadmin off\n}\n${local}`);
    proxy = spawn(caddy as string, ['run', '--config', path.join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        XDG_DATA_HOME: dir,
        XDG_CONFIG_HOME: dir,
        BRIDGE_PUBLIC_URL: base,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proxy.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    proxy.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await waitFor(
      () =>
        fetch(`${base}/healthz`).then(
          (r) => (r.status === 200 ? true : undefined),
          () => undefined,
        ),
      30_000,
      `caddy to proxy (${output.slice(-400)})`,
    );
  });
  after(async () => {
    if (proxy) await stopChild(proxy);
    api?.close();
  });

  it('proxies the public routes to the api', { skip }, async () => {
    for (const route of ['/webhooks/telegram/acct-1', '/oauth/install', '/connect', '/readyz']) {
      const res = await fetch(`${base}${route}`);
      assert.equal(res.status, 200, route);
      assert.equal(await res.text(), 'from the api');
    }
  });

  it('refuses /metrics and /admin however the path is spelled, without reaching the api', { skip }, async () => {
    reached.length = 0;
    for (const route of [
      '/metrics',
      '/admin/messages',
      '/admin/openapi.json',
      '/Admin/messages',
      '/METRICS',
      '//admin/messages',
      '/%61dmin/messages',
      '/admin/../admin/messages',
      '/webhooks/../metrics',
    ]) {
      const res = await fetch(`${base}${route}`);
      assert.equal(res.status, 404, route);
    }
    assert.deepEqual(reached, []);
  });
});
