import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { renderEnvExample } from '../scripts/env-example.js';
import { ConfigError, loadConfig } from '../packages/bridge/src/config.js';
import { withDotEnv } from '../packages/bridge/src/config-dotenv.js';
import { envSchema } from '../packages/bridge/src/config-settings.js';

const root = path.resolve(import.meta.dirname, '..');

describe('.env.example and .env', () => {
  it('.env.example is what `npm run env-example` writes from the settings list', () => {
    const committed = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    assert.equal(
      committed,
      renderEnvExample(),
      '.env.example drifted from src/config-settings.ts: run `npm run env-example` and commit the result',
    );
  });

  it('lists every setting the bridge reads, each with its meaning', () => {
    const text = renderEnvExample();
    for (const name of Object.keys(envSchema.shape)) {
      assert.match(text, new RegExp(`^(# )?${name}=`, 'm'), `${name} is missing from .env.example`);
      const lines = text.split('\n');
      const at = lines.findIndex((l) => new RegExp(`^(# )?${name}=`).test(l));
      assert.ok(
        at > 0 && lines[at - 1]!.startsWith('# ') && !/^# [A-Z_]+=/.test(lines[at - 1]!),
        `${name} has no explanation above it`,
      );
    }
  });

  it('lists every variable docker-compose.yml reads', () => {
    const compose = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    const text = renderEnvExample();
    const names = new Set([...compose.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!));
    assert.ok(names.size > 5, 'the compose file reads its settings from the environment');
    for (const name of names)
      assert.match(
        text,
        new RegExp(`^(# )?${name}=`, 'm'),
        `${name} (docker-compose.yml) is missing from .env.example`,
      );
  });

  it('shows no value for a secret, and the default for a setting that has one', () => {
    const text = renderEnvExample();
    assert.match(text, /^HUBSPOT_CLIENT_SECRET=$/m);
    assert.match(text, /^BRIDGE_ENCRYPTION_KEY=$/m);
    assert.match(text, /^# BRIDGE_API_PORT=3000$/m);
    assert.match(text, /^# BRIDGE_SHUTDOWN_GRACE_SECONDS=30$/m);
  });

  it('is read from the working directory, and the environment wins over it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dotenv-'));
    try {
      fs.writeFileSync(
        path.join(dir, '.env'),
        '# a comment\nBRIDGE_API_PORT=4555\nLOG_LEVEL=debug\nQUOTED="two words"\n',
      );
      const env = withDotEnv({ LOG_LEVEL: 'warn' }, dir);
      assert.equal(env.BRIDGE_API_PORT, '4555');
      assert.equal(env.LOG_LEVEL, 'warn');
      assert.equal(env.QUOTED, 'two words');
      assert.deepEqual(withDotEnv({ A: '1' }, path.join(dir, 'nowhere')), { A: '1' }, 'no .env is no error');
      assert.throws(
        () => withDotEnv({ BRIDGE_ENV_FILE: 'missing.env' }, dir),
        (e: unknown) => e instanceof ConfigError && /BRIDGE_ENV_FILE: cannot read/.test(e.message),
      );
      fs.writeFileSync(path.join(dir, 'live.env'), 'BRIDGE_API_PORT=4666\n');
      assert.equal(withDotEnv({ BRIDGE_ENV_FILE: 'live.env' }, dir).BRIDGE_API_PORT, '4666');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a copied .env.example, filled in, is a configuration the processes accept', () => {
    const filled = renderEnvExample()
      .replace(/^HUBSPOT_CLIENT_ID=$/m, 'HUBSPOT_CLIENT_ID=1a2b3c4d-0000-0000-0000-000000000000')
      .replace(/^HUBSPOT_CLIENT_SECRET=$/m, 'HUBSPOT_CLIENT_SECRET=a-client-secret')
      .replace(/^HUBSPOT_CHANNEL_ID=$/m, 'HUBSPOT_CHANNEL_ID=1234')
      .replace(/^BRIDGE_ENCRYPTION_KEY=$/m, `BRIDGE_ENCRYPTION_KEY=${Buffer.alloc(32, 3).toString('base64')}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dotenv-'));
    try {
      fs.writeFileSync(path.join(dir, '.env'), filled);
      const config = loadConfig(withDotEnv({}, dir));
      assert.equal(config.api.publicUrl, 'https://bridge.example.com');
      assert.equal(config.hubspot.baseUrl, 'https://api.hubapi.com');
      assert.equal(config.shutdown.graceMs, 30_000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    'the CLI reads .env from the folder it runs in, and names a settings file it cannot read (exit 2)',
    { timeout: 60_000 },
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dotenv-cli-'));
      const run = (env: NodeJS.ProcessEnv) =>
        new Promise<{ code: number; stderr: string }>((resolve) => {
          const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HUBSPOT_|BRIDGE_)/.test(k)));
          execFile(
            process.execPath,
            [path.join(root, 'packages/bridge/bin/channel-bridge.js'), 'channel', 'show', '1'],
            { cwd: dir, env: { ...clean, ...env } },
            (error, _stdout, stderr) =>
              resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr }),
          );
        });
      try {
        fs.writeFileSync(
          path.join(dir, '.env'),
          'HUBSPOT_DEVELOPER_API_KEY=from-dotenv\nHUBSPOT_APP_ID=not-a-number\n',
        );
        assert.match(
          (await run({})).stderr,
          /the app id must be the numeric id of the HubSpot app/,
          'the key and the app id came from .env',
        );
        const unreadable = await run({ BRIDGE_ENV_FILE: 'prod.env' });
        assert.equal(unreadable.code, 2);
        assert.match(unreadable.stderr, /BRIDGE_ENV_FILE: cannot read .*prod\.env/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
