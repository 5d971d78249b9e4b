import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { runDoctor, type CheckResult, type DoctorReport } from '../../packages/bridge/src/doctor/index.js';
import { assertNoSecret } from '../security/support/secret-scan.js';
import { cli } from './cli.js';
import { freshDatabase, freshNamespace, PUBLIC_URL, startDoctorWorld, type DoctorWorld } from './world.js';

const byId = (report: DoctorReport, id: string): CheckResult => {
  const check = report.checks.find((c) => c.id === id);
  assert.ok(check, `no check ${id} in:\n${report.checks.map((c) => c.id).join('\n')}`);
  return check;
};
const statuses = (report: DoctorReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
const secretsOf = (world: DoctorWorld): Record<string, string> => ({
  'HubSpot client secret': world.info.app.clientSecret,
  'HubSpot developer API key': world.info.app.developerApiKey,
  'HubSpot static token': world.info.portals[0]!.accessToken,
  'OAuth refresh token': world.installed.refreshToken,
  'Telegram bot token': world.telegram.token,
  'Telegram webhook secret': world.telegramAccount.secret,
  'WhatsApp access token': world.whatsappSecrets.accessToken,
  'WhatsApp app secret': world.whatsappSecrets.appSecret,
  'bridge encryption key': world.encryptionKey.toString('base64'),
});

describe('channel-bridge doctor', { timeout: 240_000 }, () => {
  let world: DoctorWorld;
  before(async () => {
    world = await startDoctorWorld();
  });
  after(async () => world?.stop());

  it('passes every check of a healthy setup, and says what it could not check', async () => {
    const report = await runDoctor(world.env());
    const { telegramAccount: tg, whatsappAccount: wa, installed } = world;
    assert.deepEqual(statuses(report), {
      settings: 'pass',
      'hubspot.app': 'pass',
      'hubspot.developer-key': 'pass',
      'temporal.connection': 'pass',
      'temporal.namespace': 'pass',
      'temporal.retention': 'pass',
      'temporal.search-attributes': 'pass',
      'temporal.worker': 'pass',
      'store.connection': 'pass',
      'store.migrations': 'pass',
      'hubspot.channel': 'pass',
      'hubspot.token': 'pass',
      [`hubspot.portal:${installed.portalId}`]: 'pass',
      [`provider.telegram:${tg.channelAccountId}`]: 'pass',
      [`provider.whatsapp:${wa.channelAccountId}`]: 'pass',
      [`provider.whatsapp:${wa.channelAccountId}.webhook`]: 'pass',
    });
    assert.equal(report.ok, true);
    assert.match(
      byId(report, `provider.telegram:${tg.channelAccountId}`).detail,
      new RegExp(`webhook is ${PUBLIC_URL}/webhooks/telegram/${tg.channelAccountId}$`),
    );
    assert.match(byId(report, 'temporal.retention').detail, /kept 8 days/);
    assert.equal(
      byId(report, `provider.whatsapp:${wa.channelAccountId}.webhook`).detail,
      `Meta sends this number's messages to ${PUBLIC_URL}/webhooks/whatsapp/${wa.channelAccountId}, the app's callback URL`,
    );
    assertNoSecret({ report: JSON.stringify(report) }, secretsOf(world));
  });

  it('runs as a command: one line per check, exit 0, and --json for machines', async () => {
    const text = await cli(['doctor'], world.env());
    assert.equal(text.code, 0, text.stdout + text.stderr);
    const lines = text.stdout.trim().split('\n');
    assert.match(lines.at(-1)!, /^16 passed, 0 failed, 0 warnings$/);
    assert.ok(
      lines.slice(0, -1).every((l) => /^✓ /.test(l)),
      text.stdout,
    );
    assert.ok(
      lines.some((l) => l.startsWith(`✓ HubSpot channel: channel ${world.channelId}`)),
      text.stdout,
    );
    const json = await cli(['doctor', '--json'], world.env());
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as DoctorReport;
    assert.deepEqual(report.summary, { pass: 16, fail: 0, warn: 0, skip: 0 });
    assertNoSecret({ stdout: text.stdout + json.stdout, stderr: `${text.stderr}${json.stderr} ` }, secretsOf(world));
  });

  it('names a namespace that does not exist, with the command that creates it', async () => {
    const report = await runDoctor(world.env({ TEMPORAL_NAMESPACE: 'no-such-namespace' }));
    const check = byId(report, 'temporal.namespace');
    assert.equal(check.status, 'fail');
    assert.match(check.detail, /namespace "no-such-namespace" does not exist/);
    assert.match(
      check.fix!,
      /set TEMPORAL_NAMESPACE .* temporal operator namespace create .* --namespace no-such-namespace --retention 7d/,
    );
    assert.equal(report.ok, false);
  });

  it('lists the missing search attributes of a fresh namespace, and warns of a short retention and no worker', async () => {
    const namespace = await freshNamespace(world.connection, { retentionDays: 1, searchAttributes: false });
    const report = await runDoctor(world.env({ TEMPORAL_NAMESPACE: namespace }));
    const attributes = byId(report, 'temporal.search-attributes');
    assert.equal(attributes.status, 'fail');
    assert.match(
      attributes.detail,
      /lacks BridgeAccountId, BridgeConversationKey, ProviderMessageId, HubSpotMessageId, BridgeDirection, BridgeProvider, BridgeStatus/,
    );
    assert.match(
      attributes.fix!,
      new RegExp(
        `temporal operator search-attribute create .*--namespace ${namespace} --name BridgeAccountId --name BridgeConversationKey .* --type Keyword`,
      ),
    );
    const retention = byId(report, 'temporal.retention');
    assert.equal(retention.status, 'warn');
    assert.match(retention.detail, /keeps closed workflows 1 day: "messages show" and "messages retry" lose a message/);
    assert.match(retention.fix!, /--retention 7d/);
    assert.equal(byId(report, 'temporal.worker').status, 'warn');
  });

  it('names a channel whose webhook URL is not the bridge, and how to point it back', async () => {
    const dev = `hapikey=${world.info.app.developerApiKey}&appId=${world.info.app.appId}`;
    const patch = (webhookUrl: string) =>
      fetch(`${world.hubspotUrl}/conversations/v3/custom-channels/${world.channelId}?${dev}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ webhookUrl }),
      });
    assert.equal((await patch('https://old-bridge.example/webhooks/hubspot')).status, 200);
    try {
      const report = await runDoctor(world.env());
      const check = byId(report, 'hubspot.channel');
      assert.equal(check.status, 'fail');
      assert.match(
        check.detail,
        new RegExp(
          `sends HubSpot's webhooks to https://old-bridge.example/webhooks/hubspot, not to ${PUBLIC_URL}/webhooks/hubspot`,
        ),
      );
      assert.match(
        check.fix!,
        new RegExp(`channel-bridge channel update ${world.channelId} --config .*${PUBLIC_URL}/webhooks/hubspot`),
      );
      assert.equal(report.ok, false);
    } finally {
      await patch(`${PUBLIC_URL}/webhooks/hubspot`);
    }
  });

  it('names a Telegram bot whose webhook points elsewhere', async () => {
    const id = `provider.telegram:${world.telegramAccount.channelAccountId}`;
    assert.equal(
      (await world.telegram.api('setWebhook', { url: 'https://another-bot-host.example/hook' })).status,
      200,
    );
    try {
      const report = await runDoctor(world.env());
      const check = byId(report, id);
      assert.equal(check.status, 'fail');
      assert.match(
        check.detail,
        new RegExp(`points at https://another-bot-host.example/hook, not at ${PUBLIC_URL}/webhooks/telegram/`),
      );
      assert.match(check.fix!, /connect it again/);
      assertNoSecret({ report: JSON.stringify(report) }, secretsOf(world));
    } finally {
      await world.telegram.api('setWebhook', {
        url: world.telegramAccount.webhookUrl,
        secret_token: world.telegramAccount.secret,
      });
    }
    assert.equal(byId(await runDoctor(world.env()), id).status, 'pass');
  });

  it("names a WhatsApp number whose webhooks go elsewhere, and where Meta's callback URL is set", async () => {
    const id = `provider.whatsapp:${world.whatsappAccount.channelAccountId}.webhook`;
    // Another receiver that passes Meta's handshake, as the dashboard requires before it saves a callback URL.
    const other = http.createServer((req, res) =>
      res.end(new URL(req.url ?? '/', 'http://x').searchParams.get('hub.challenge') ?? ''),
    );
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}/hook`;
    try {
      const moved = await fetch(`${world.whatsappUrl}/_sandbox/whatsapp/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: elsewhere }),
      });
      assert.equal(moved.status, 200, await moved.text());
      const report = await runDoctor(world.env());
      const check = byId(report, id);
      assert.equal(check.status, 'fail');
      assert.equal(
        check.detail,
        `Meta sends this number's messages to ${elsewhere}, the app's callback URL, not to ${PUBLIC_URL}/webhooks/whatsapp/${world.whatsappAccount.channelAccountId}: customers' messages go elsewhere`,
      );
      assert.match(
        check.fix!,
        new RegExp(
          `^in Meta's app dashboard \\(WhatsApp → Configuration → Webhook\\) set the callback URL to ${PUBLIC_URL}/webhooks/whatsapp/${world.whatsappAccount.channelAccountId}, with the verify token shown when the account was connected`,
        ),
      );
      assert.equal(report.ok, false);
      assertNoSecret(
        { report: JSON.stringify(report) },
        { ...secretsOf(world), 'WhatsApp verify token': world.whatsappSecrets.verifyToken },
      );
    } finally {
      world.whatsappState.webhook.url = world.whatsappAccount.webhookUrl;
      other.closeAllConnections();
      await new Promise<void>((r) => other.close(() => r()));
    }
    assert.equal(byId(await runDoctor(world.env()), id).status, 'pass');
  });

  it('names a portal whose refresh token is dead, and leaves the store as it was', async () => {
    const { portalId, refreshToken } = world.installed;
    const kept = world.hubspotState.oauth.refreshTokens.get(refreshToken)!;
    world.hubspotState.oauth.refreshTokens.delete(refreshToken);
    try {
      const report = await runDoctor(world.env());
      const check = byId(report, `hubspot.portal:${portalId}`);
      assert.equal(check.status, 'fail');
      assert.match(
        check.detail,
        /HubSpot refused the portal's refresh token \(refresh token is invalid, expired or revoked\)/,
      );
      assert.equal(
        check.fix,
        `an admin of portal ${portalId} installs the app again: open ${PUBLIC_URL}/oauth/install`,
      );
      assert.equal(report.ok, false);
      // Read-only: the api and worker mark the portal themselves when they meet the dead token.
      assert.equal((await world.store.getPortalTokens(portalId))?.status, 'active');
    } finally {
      world.hubspotState.oauth.refreshTokens.set(refreshToken, kept);
    }
  });

  it('names a wrong client secret and a wrong developer API key without printing either', async () => {
    const env = world.env({
      HUBSPOT_CLIENT_SECRET: 'wrong-client-secret-0123',
      HUBSPOT_DEVELOPER_API_KEY: 'wrong-developer-key-4567',
    });
    const run = await cli(['doctor'], env);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      new RegExp(
        `^✗ HubSpot portal ${world.installed.portalId}: HubSpot refused the app's client id or secret .* → fix: check HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET`,
        'm',
      ),
    );
    assert.match(
      run.stdout,
      /^✗ HubSpot channel: HubSpot refused the developer API key or app id .*→ fix: check HUBSPOT_DEVELOPER_API_KEY and HUBSPOT_APP_ID/m,
    );
    assert.match(run.stdout, /, 2 failed, /);
    assertNoSecret(
      { stdout: run.stdout, stderr: `${run.stderr} ` },
      {
        ...secretsOf(world),
        'wrong client secret': 'wrong-client-secret-0123',
        'wrong developer key': 'wrong-developer-key-4567',
      },
    );
  });

  it('finds the migrations a store lacks, and does not apply them', async () => {
    const file = path.join(world.dir, 'empty.sqlite');
    new Database(file).close();
    const report = await runDoctor(world.env({ BRIDGE_SQLITE_PATH: file }));
    const check = byId(report, 'store.migrations');
    assert.equal(check.status, 'fail');
    assert.match(check.detail, /^\d+ of \d+ migrations are not applied: 1 accounts/);
    assert.match(check.fix!, /start the api or the worker of this version once/);
    assert.equal(byId(report, 'providers').status, 'skip');
    const db = new Database(file, { readonly: true });
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'schema_migrations'").get() as {
      n: number;
    };
    assert.equal(tables.n, 0, 'doctor created schema_migrations');
    db.close();
    const missing = await runDoctor(
      world.env({ BRIDGE_SQLITE_PATH: path.join(world.dir, 'nowhere', 'bridge.sqlite') }),
    );
    assert.match(byId(missing, 'store.connection').detail, /nowhere\/bridge\.sqlite does not exist/);
    assert.equal(fs.existsSync(path.join(world.dir, 'nowhere')), false);
  });

  it('lists every settings problem the api would refuse to start with', async () => {
    const run = await cli(['doctor'], world.env({ BRIDGE_ENCRYPTION_KEY: undefined, HUBSPOT_CHANNEL_ID: 'abc' }));
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /^✗ BRIDGE_ENCRYPTION_KEY: BRIDGE_ENCRYPTION_KEY is required.* → fix: set BRIDGE_ENCRYPTION_KEY in the environment/m,
    );
    assert.match(run.stdout, /^✗ HUBSPOT_CHANNEL_ID: HUBSPOT_CHANNEL_ID must be the numeric channel id/m);
    assert.match(run.stdout, /^0 passed, 2 failed, 0 warnings/m);
  });

  it('exits 2 on a usage error', async () => {
    const run = await cli(['doctor', '--no-such-flag'], world.env());
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown option '--no-such-flag'/);
  });
});

const adminUrl = process.env.BRIDGE_TEST_DATABASE_URL;
describe(
  'channel-bridge doctor on PostgreSQL',
  { timeout: 240_000, skip: adminUrl ? false : 'BRIDGE_TEST_DATABASE_URL is not set (npm test provisions PostgreSQL)' },
  () => {
    let world: DoctorWorld;
    before(async () => {
      world = await startDoctorWorld({ databaseUrl: await freshDatabase() });
    });
    after(async () => world?.stop());

    it('reads the store and every account from PostgreSQL, naming the database but never its password', async () => {
      const report = await runDoctor(world.env());
      assert.equal(report.ok, true, JSON.stringify(report.checks.filter((c) => c.status === 'fail')));
      const database = new URL(world.env().BRIDGE_DATABASE_URL!);
      assert.equal(
        byId(report, 'store.connection').detail,
        `PostgreSQL ${database.hostname}:${database.port}${database.pathname} answers`,
      );
      assert.equal(byId(report, `provider.telegram:${world.telegramAccount.channelAccountId}`).status, 'pass');
    });

    it('names a database it cannot reach, without the password', async () => {
      const url = 'postgres://bridge:doctor-db-password-42@127.0.0.1:1/bridge';
      const report = await runDoctor(world.env({ BRIDGE_DATABASE_URL: url }));
      const check = byId(report, 'store.connection');
      assert.equal(check.status, 'fail');
      assert.match(check.detail, /^cannot read PostgreSQL 127\.0\.0\.1:1\/bridge: .*ECONNREFUSED/);
      assert.match(check.fix!, /check BRIDGE_DATABASE_URL/);
      assertNoSecret(
        { report: JSON.stringify(report) },
        { 'database password': 'doctor-db-password-42', ...secretsOf(world) },
      );
    });
  },
);
