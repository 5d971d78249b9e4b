import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalSystem, type LocalSystem } from '../../packages/dev-tools/src/local/system.js';

const readyz = async (url: string) => (await fetch(`${url}/readyz`).catch(() => undefined))?.status;

describe('the local system harness (benchmarks and fault scenarios run on it)', { timeout: 240_000 }, () => {
  let system: LocalSystem;
  let dataDir: string;
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(import.meta.dirname, '../../.tmp/system-'));
    // Warnings only: the start must not depend on the worker's info-level "worker polling" line.
    system = await startLocalSystem({
      dataDir,
      workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
      bridgeEnv: { LOG_LEVEL: 'warn' },
    });
  });
  after(() => system?.stop());

  it('runs api, worker, sandboxes and its own Temporal as separate processes', async () => {
    assert.equal(await readyz(system.urls.api), 200);
    assert.ok(system.rssBytes('worker') > 10_000_000, 'the worker has a resident set');
    assert.notEqual(system.pid('api'), system.pid('worker'));
    assert.deepEqual(system.accounts.map((a) => a.provider).sort(), ['generic', 'telegram', 'twilio', 'whatsapp']);
    assert.equal((await fetch(system.account('twilio').customerPage!)).status, 200, 'the Twilio customer page');
    assert.equal(system.urls.twilio, new URL(system.account('twilio').customerPage!).origin);
  });

  it('starts a part again after kill -9, on the same port', async () => {
    const before = system.pid('api');
    await system.kill('api');
    assert.equal(await readyz(system.urls.api), undefined, 'nothing answers while the api is down');
    await system.start('api');
    assert.equal(await readyz(system.urls.api), 200);
    assert.notEqual(system.pid('api'), before);
    await assert.rejects(system.start('api'), /still running/);
  });

  it('knows a worker polls from its /readyz, whatever the log level, also after kill -9', async () => {
    const workerLog = () => fs.readFileSync(path.join(dataDir, 'logs', 'worker.log'), 'utf8');
    assert.doesNotMatch(workerLog(), /worker polling/, 'LOG_LEVEL=warn hides the info line');
    const before = system.pid('worker');
    await system.kill('worker');
    await system.start('worker');
    assert.notEqual(system.pid('worker'), before);
    assert.doesNotMatch(workerLog(), /worker polling/);
  });

  it('restarts Temporal on its database; the api reports unready meanwhile and recovers', async () => {
    await system.restartTemporal();
    for (let i = 0; i < 100 && (await readyz(system.urls.api)) !== 200; i++)
      await new Promise((r) => setTimeout(r, 200));
    assert.equal(await readyz(system.urls.api), 200);
  });
});
