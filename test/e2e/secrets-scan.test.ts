import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, startConnectWorld, WHATSAPP, type ConnectWorld } from '../helpers/connect.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { temporalAddress, waitFor } from '../helpers/temporal.js';
import { cli } from '../doctor/cli.js';
import {
  assertNoSecret,
  captureWorkerLogs,
  connectThroughPage,
  histories as historiesOf,
  installApp,
} from '../security/support/secret-scan.js';

const workerLogs = captureWorkerLogs();

/**
 * Secrets never reach Temporal or the logs: messages go both ways through OAuth-installed, page-connected accounts,
 * then every workflow history of the run (fetchHistory) and every captured log line are searched for every secret.
 */
describe('no secret in workflow histories or logs', { timeout: 300_000 }, () => {
  let world: ConnectWorld;
  before(async () => {
    world = await startConnectWorld({ oauth: true, worker: true, tokenLifetimeSeconds: 4 });
  });
  after(async () => world.stop());

  it('carries messages both ways and leaves no secret behind', async () => {
    await installApp(world);
    const connect = (fields: Record<string, string>) => connectThroughPage(world, fields);
    const telegram = await connect({ provider: 'telegram', botToken: world.telegram.token });
    const generic = await connect({ provider: 'generic', accountName: 'Scan connector' });
    const whatsapp = await connect({
      provider: 'whatsapp',
      phoneNumberId: '106540352242922',
      accessToken: WHATSAPP.accessToken,
      appSecret: WHATSAPP.appSecret,
    });

    // Inbound: Telegram through its connection URL, generic signed with the generated secret.
    await world.telegram.control(`/bots/${world.telegram.bot.id}/messages`, {
      text: 'scan: telegram in',
      from: { id: 9100, first_name: 'Scan' },
    });
    const genericUrl = /(http:\/\/[^<"]+\/webhooks\/generic\/conn_[\w-]+)/.exec(generic.html)![1]!;
    const request = signedGenericRequest(
      generic.account.credentials.signingSecret!,
      messageCreated({ text: 'scan: generic in' }),
    );
    assert.equal(
      (await fetch(genericUrl, { method: 'POST', headers: request.headers, body: request.body })).status,
      200,
    );
    const published = (text: string) => [...world.hubspotState.messages.values()].find((m) => m.text.includes(text));
    const tg = await waitFor(() => published('scan: telegram in'), 30_000, 'telegram message in HubSpot');
    await waitFor(() => published('scan: generic in'), 30_000, 'generic message in HubSpot');

    // Outbound: a rep replies to the Telegram customer after the access token has expired (a refresh happens).
    await new Promise((r) => setTimeout(r, 3500));
    const reply = await world.sandboxAdmin('POST', `/threads/${tg.conversationsThreadId}/replies`, {
      text: 'scan: rep reply',
    });
    assert.equal(reply.status, 201);
    await waitFor(
      () => world.telegram.state.sent.find((s) => JSON.stringify(s).includes('scan: rep reply')),
      60_000,
      'the reply delivered to Telegram',
    );

    const tokens = (await world.store.getPortalTokens(world.portal.portalId))!;
    const secrets: Record<string, string> = {
      'Telegram bot token': world.telegram.token,
      'Telegram webhook secret': telegram.account.credentials.secretToken!,
      'generic signing secret': generic.account.credentials.signingSecret!,
      'WhatsApp access token': whatsapp.account.credentials.accessToken!,
      'WhatsApp app secret': whatsapp.account.credentials.appSecret!,
      'WhatsApp verify token': whatsapp.account.credentials.verifyToken!,
      'HubSpot access token': tokens.accessToken,
      'HubSpot refresh token': tokens.refreshToken,
      'HubSpot client secret': world.hubspotState.app.clientSecret,
      'HubSpot developer API key': world.hubspotState.app.developerApiKey,
      'bridge encryption key': world.encryptionKey.toString('base64'),
      'bridge admin token': ADMIN_TOKEN,
    };
    const histories = await historiesOf(world.client, world.taskQueue);
    assert.ok(histories.length >= 5, `expected the account, inbound and outbound workflows, found ${histories.length}`);
    const logs = [...world.logs, ...workerLogs];
    assert.ok(logs.length > 10);
    const haystacks = {
      'workflow histories': histories.join('\n'),
      'api logs': world.logs.join('\n'),
      'worker logs': workerLogs.join('\n'),
    };
    // The haystacks are real: histories hold the message texts, the worker logged through the runtime.
    assert.ok(haystacks['workflow histories'].includes('scan: telegram in'), 'inbound text in a history');
    assert.ok(haystacks['workflow histories'].includes('scan: rep reply'), 'reply text in a history');
    assert.ok(
      workerLogs.some((l) => l.includes('channel account connected')),
      'activity log lines were captured',
    );
    assertNoSecret(haystacks, secrets);
  });

  it("prints no secret on the CLI's error paths: doctor with bad credentials, channel commands with a bad key or no HubSpot", async () => {
    const { app } = world.hubspotState;
    const wrong = {
      clientSecret: 'wrong-client-secret-scan',
      developerApiKey: 'wrong-developer-key-scan',
      databasePassword: 'scan-db-password',
      temporalApiKey: 'scan-temporal-api-key',
    };
    const live = {
      // Nothing of the machine's own: no .env, and a store that does not exist.
      BRIDGE_ENV_FILE: '/dev/null',
      BRIDGE_SQLITE_PATH: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-scan-cli-')), 'none.sqlite'),
      BRIDGE_PUBLIC_URL: world.apiUrl,
      BRIDGE_ENCRYPTION_KEY: world.encryptionKey.toString('base64'),
      BRIDGE_ADMIN_TOKEN: ADMIN_TOKEN,
      TEMPORAL_ADDRESS: temporalAddress(),
      HUBSPOT_BASE_URL: world.hubspotUrl,
      HUBSPOT_CHANNEL_ID: world.channelId,
      HUBSPOT_CLIENT_ID: app.clientId,
      HUBSPOT_CLIENT_SECRET: app.clientSecret,
      HUBSPOT_APP_ID: String(app.appId),
      HUBSPOT_DEVELOPER_API_KEY: app.developerApiKey,
      HUBSPOT_ACCESS_TOKEN: world.portal.accessToken,
    };
    const runs = {
      // Every check that can fail on a credential fails: the app's secret, the developer key, the database, Temporal's
      // API key.
      'doctor, bad credentials': await cli(['doctor'], {
        ...live,
        HUBSPOT_CLIENT_SECRET: wrong.clientSecret,
        HUBSPOT_DEVELOPER_API_KEY: wrong.developerApiKey,
        BRIDGE_DATABASE_URL: `postgres://bridge:${wrong.databasePassword}@127.0.0.1:1/bridge`,
        TEMPORAL_API_KEY: wrong.temporalApiKey,
      }),
      'doctor --json, HubSpot unreachable': await cli(['doctor', '--json'], {
        ...live,
        HUBSPOT_BASE_URL: 'http://127.0.0.1:1',
      }),
      'channel show, HubSpot unreachable': await cli(['channel', 'show', world.channelId], {
        ...live,
        HUBSPOT_BASE_URL: 'http://127.0.0.1:1',
      }),
      'channel show, a bad key': await cli(['channel', 'show', world.channelId], {
        ...live,
        HUBSPOT_DEVELOPER_API_KEY: wrong.developerApiKey,
      }),
      'channel register, HubSpot unreachable': await cli(['channel', 'register', '--config', 'examples/channel.json'], {
        ...live,
        HUBSPOT_BASE_URL: 'http://127.0.0.1:1',
      }),
      'channel archive, a bad key': await cli(['channel', 'archive', world.channelId, '--yes'], {
        ...live,
        HUBSPOT_DEVELOPER_API_KEY: wrong.developerApiKey,
      }),
    };
    for (const [name, run] of Object.entries(runs))
      assert.notEqual(run.code, 0, `${name} should fail:\n${run.stdout}${run.stderr}`);
    assert.match(runs['doctor, bad credentials'].stdout, /^✗ Temporal: cannot reach Temporal/m);
    assert.match(runs['doctor, bad credentials'].stdout, /^✗ store: cannot read PostgreSQL 127\.0\.0\.1:1\/bridge/m);
    assert.match(runs['channel show, HubSpot unreachable'].stderr, /cannot reach HubSpot at http:\/\/127\.0\.0\.1:1/);
    assert.match(runs['channel show, a bad key'].stderr, /HubSpot answered 401/);
    const secrets = {
      'HubSpot client secret': app.clientSecret,
      'HubSpot developer API key': app.developerApiKey,
      'HubSpot static token': world.portal.accessToken,
      'bridge encryption key': world.encryptionKey.toString('base64'),
      'bridge admin token': ADMIN_TOKEN,
      'wrong client secret': wrong.clientSecret,
      'wrong developer API key': wrong.developerApiKey,
      'database password': wrong.databasePassword,
      'Temporal API key': wrong.temporalApiKey,
    };
    assertNoSecret(
      Object.fromEntries(Object.entries(runs).map(([name, run]) => [name, `${run.stdout}\n${run.stderr}`])),
      { ...secrets, 'developer API key, URL-encoded': encodeURIComponent(app.developerApiKey) },
    );
  });
});
