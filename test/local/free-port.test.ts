import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ephemeralLow, freePort } from '../../packages/dev-tools/src/local/free-port.js';

const listen = (port: number) =>
  new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

describe('free ports for the local system’s children', () => {
  it('come from below the ephemeral range, so no listen(0) or dev server pick can be handed the same port', async () => {
    const ports = await Promise.all(Array.from({ length: 40 }, () => freePort()));
    for (const port of ports) assert.ok(port >= 20_000 && port < ephemeralLow(), `${port}`);
    assert.equal(new Set(ports).size, ports.length, 'never the same port twice');
  });

  it('are free: each can be bound right away', async () => {
    const servers = await Promise.all((await Promise.all([freePort(), freePort(), freePort()])).map(listen));
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  it('read the ephemeral range from the kernel, and assume Linux’s default when it cannot be read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'port-range-'));
    fs.writeFileSync(path.join(dir, 'range'), '40000\t60999\n');
    assert.equal(ephemeralLow(path.join(dir, 'range')), 40_000);
    assert.equal(ephemeralLow(path.join(dir, 'missing')), 32_768);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
