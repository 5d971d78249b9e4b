import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BRIDGE_NODE_FLAGS, BRIDGE_PROCESS_ENV } from '../../packages/bridge/src/node-options.js';
import { WORKFLOW_BUNDLE_FILE } from '../../packages/bridge/src/temporal/prebuilt-bundle.js';
import { ROOT } from './built-app.js';

const DOCKERFILE = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
/** Instructions with their continuation lines joined, comments dropped. */
const INSTRUCTIONS = DOCKERFILE.replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/** The instructions of each stage, by its `AS` name. */
function stages(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of INSTRUCTIONS) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) found.set(from[2] ?? from[1]!, (current = [line]));
    else current?.push(line);
  }
  return found;
}

/** The JSON-form HEALTHCHECK command's `node -e` script. */
function healthcheckScript(): string {
  const line = INSTRUCTIONS.find((l) => l.startsWith('HEALTHCHECK'))!;
  const argv = JSON.parse(line.slice(line.indexOf('CMD') + 3).trim()) as string[];
  assert.deepEqual(argv.slice(0, 2), ['node', '-e']);
  return argv[2]!;
}

describe('the Dockerfile', () => {
  it("runs every process with the bridge's Node flags, as npm start and the bench do", () => {
    const env = INSTRUCTIONS.find((l) => l.startsWith('ENV ') && l.includes('NODE_OPTIONS='));
    assert.ok(env, 'an ENV sets NODE_OPTIONS');
    assert.equal(/NODE_OPTIONS=(\S+)/.exec(env)![1], BRIDGE_NODE_FLAGS.join(' '));
    for (const [name, value] of Object.entries(BRIDGE_PROCESS_ENV))
      assert.equal(new RegExp(`${name}=(\\S+)`).exec(env)?.[1], value, `ENV sets ${name}`);
  });

  it('builds in one stage and runs from another on a maintained Node LTS, without the compiler toolchain', () => {
    const all = stages();
    assert.ok(all.size >= 2, 'multi-stage');
    const runtime = [...all.values()].at(-1)!;
    const nodeImage = /^ARG NODE_IMAGE=(\S+)/m.exec(DOCKERFILE)?.[1] ?? runtime[0]!;
    assert.match(nodeImage, /^node:(22|24)[.-]/, `runtime base ${nodeImage}`);
    const runtimeText = runtime.join('\n');
    assert.doesNotMatch(runtimeText, /apt-get|python3|\bmake\b|g\+\+/, 'no toolchain in the runtime stage');
    assert.match(
      [...all.values()].slice(0, -1).flat().join('\n'),
      /python3 make g\+\+/,
      'the build stage has it for better-sqlite3',
    );
    assert.match(DOCKERFILE, /npm prune --omit=dev|npm ci --omit=dev/);
  });

  it('runs the compiled JavaScript with plain node, as a non-root user, on the bundle built at build time', () => {
    const runtime = [...stages().values()].at(-1)!.join('\n');
    assert.doesNotMatch(INSTRUCTIONS.join('\n'), /\btsx\b/);
    assert.match(runtime, /^USER (?!root\b|0\b)\S+/m);
    assert.match(runtime, /^CMD \["node", "dist\/server\.js"\]$/m);
    assert.match(runtime, new RegExp(`WORKFLOW_BUNDLE_PATH=/app/dist/${WORKFLOW_BUNDLE_FILE.replace('.', '\\.')}\\b`));
    assert.match(runtime, /^COPY --from=build \/app\/packages\/bridge\/dist \.\/dist$/m);
  });

  it('copies the bridge package and no code of the sandbox or the dev tools (only their manifests, which npm ci checks)', () => {
    const copied = INSTRUCTIONS.filter((l) => /^COPY\s/.test(l) && !l.includes('--from=')).flatMap((l) =>
      l.split(/\s+/).slice(1, -1),
    );
    assert.ok(copied.includes('packages/bridge'), `the bridge package is copied: ${copied.join(' ')}`);
    for (const source of copied) {
      if (!source.startsWith('packages/')) continue;
      assert.ok(
        source === 'packages/bridge' || /^packages\/[a-z-]+\/package\.json$/.test(source),
        `${source} is the bridge or a manifest`,
      );
    }
    assert.match(
      DOCKERFILE,
      /npm ci --omit=dev --workspace channel-bridge/,
      "the runtime's node_modules hold the bridge's dependencies only",
    );
  });

  it('keeps secrets and local state out of the build context', () => {
    const ignored = fs
      .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['.env', '.git', 'node_modules', '.data', '.tools', 'dist'])
      assert.ok(ignored.includes(entry), `.dockerignore lists ${entry}`);
  });

  describe('its HEALTHCHECK', () => {
    const servers: Server[] = [];
    const serve = (status: number) =>
      new Promise<number>((resolve) => {
        const server = createServer((req, res) => {
          res.statusCode = req.url === '/readyz' ? status : 404;
          res.end();
        }).listen(0, '127.0.0.1', () => {
          resolve((server.address() as AddressInfo).port);
        });
        servers.push(server);
      });
    let ready: number;
    let notReady: number;
    before(async () => {
      ready = await serve(200);
      notReady = await serve(503);
    });
    after(() => servers.forEach((s) => s.close()));
    // Asynchronous: the servers answering it run in this process.
    const check = (env: Record<string, string>) =>
      new Promise<number | null>((resolve) => {
        const child = execFile(process.execPath, ['-e', healthcheckScript()], {
          env: { PATH: process.env.PATH ?? '', ...env },
          timeout: 20_000,
        });
        child.on('exit', (code) => resolve(code));
      });

    it("asks the api's /readyz on BRIDGE_API_PORT", async () => {
      assert.equal(await check({ BRIDGE_API_PORT: String(ready) }), 0);
      assert.equal(await check({ BRIDGE_API_PORT: String(notReady) }), 1);
    });

    it("asks the worker's /readyz when BRIDGE_WORKER_HEALTH_PORT is set, so one image serves both roles", async () => {
      assert.equal(await check({ BRIDGE_API_PORT: String(notReady), BRIDGE_WORKER_HEALTH_PORT: String(ready) }), 0);
      assert.equal(await check({ BRIDGE_API_PORT: String(ready), BRIDGE_WORKER_HEALTH_PORT: String(notReady) }), 1);
      assert.equal(
        await check({ BRIDGE_API_PORT: String(ready), BRIDGE_WORKER_HEALTH_PORT: '0' }),
        0,
        '0 means the worker serves no health port',
      );
    });
  });
});
