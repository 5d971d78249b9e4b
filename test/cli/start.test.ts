import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import type { LocalState } from '../../packages/dev-tools/src/cli/start.js';
import { runCli, startEnv, waitForLocalState } from '../helpers/start-process.js';
import { waitFor } from '../helpers/temporal.js';

const portClosed = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url.includes('://') ? url : `tcp://${url}`);
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => socket.end(() => resolve(false)));
    socket.once('error', () => resolve(true));
  });

/**
 * The demo Twilio number: connected in HubSpot and in the bridge's store (with the webhook URL Twilio signs), and the
 * emulator's number sends its incoming messages there. Delivery itself is the Twilio end-to-end tests' business.
 */
async function assertTwilioConnected(state: LocalState, dataDir: string): Promise<void> {
  const twilio = state.accounts.find((a) => a.provider === 'twilio')!;
  assert.match(twilio.customerPage!, /\/_sandbox\/twilio\/$/);
  const hubspotAccounts = (await (
    await fetch(`${state.hubspot.baseUrl}/conversations/v3/custom-channels/${state.channelId}/channel-accounts`, {
      headers: { authorization: `Bearer ${state.hubspot.accessToken}` },
    })
  ).json()) as { results: { id: string; authorized: boolean }[] };
  assert.equal(hubspotAccounts.results.find((a) => a.id === twilio.channelAccountId)?.authorized, true);

  const { encryptionKey } = JSON.parse(fs.readFileSync(path.join(dataDir, 'local-secrets.json'), 'utf8')) as {
    encryptionKey: string;
  };
  const store = openSqliteStore({
    path: path.join(dataDir, 'bridge.sqlite'),
    encryptionKey: Buffer.from(encryptionKey, 'base64'),
  });
  try {
    const stored = await store.getAccount(twilio.channelAccountId);
    assert.equal(stored?.provider, 'twilio');
    assert.equal(stored?.authorized, true);
    assert.equal(stored?.credentials.webhookUrl, twilio.webhookUrl);
    assert.equal(stored?.credentials.authToken, twilio.secret);
  } finally {
    await store.close();
  }

  const emulator = new URL(twilio.customerPage!).origin;
  const credentials = (await (await fetch(`${emulator}/_sandbox/twilio/credentials`)).json()) as {
    authToken: string;
    webhookUrl: string | null;
  };
  assert.equal(credentials.authToken, twilio.secret, 'the bridge holds the auth token the emulator signs with');
  assert.equal(credentials.webhookUrl, twilio.webhookUrl, "the number's incoming messages go to the bridge");
}

describe('npm start (channel-bridge start)', () => {
  it(
    'runs the whole system, carries a customer message, survives a restart and stops cleanly on Ctrl-C',
    { timeout: 400_000 },
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-start-'));
      const env = await startEnv(dataDir);
      const first = runCli(['start'], env);
      const state = await waitForLocalState(first, dataDir);

      // The banner names the pages to open and the state file; the state file drives the system.
      assert.match(first.output(), /HubSpot inbox \(sandbox\)\s+http:\/\/127\.0\.0\.1:\d+\//);
      assert.match(first.output(), /Temporal UI\s+http:\/\/127\.0\.0\.1:\d+/);
      assert.ok(first.output().includes(path.join(dataDir, 'local.json')));
      assert.equal(state.mode, 'sandbox');
      assert.deepEqual(
        state.accounts.map((a) => a.provider),
        ['generic', 'telegram', 'whatsapp', 'twilio'],
      );
      const account = state.accounts.find((a) => a.provider === 'generic');
      for (const a of state.accounts) {
        assert.equal((await fetch(a.customerPage!)).status, 200, `${a.provider} customer page`);
        assert.ok(first.output().includes(`${a.provider} customer page`), `the banner lists the ${a.provider} page`);
      }
      await assertTwilioConnected(state, dataDir);
      assert.equal((fs.statSync(path.join(dataDir, 'local.json')).mode & 0o777).toString(8), '600');
      assert.equal((await fetch(state.urls.temporalUi)).status, 200);
      assert.equal((await fetch(`${state.urls.api}/readyz`)).status, 200);

      const payload = messageCreated({ text: 'Hello through npm start' });
      const request = signedGenericRequest(account!.secret, payload);
      assert.equal(
        (await fetch(account!.webhookUrl, { method: 'POST', headers: request.headers, body: request.body })).status,
        200,
      );
      const workflowId = `inbound:${account!.channelAccountId}:${payload.data.messageId}`;
      const firstConnection = await Connection.connect({ address: state.urls.temporal });
      await new Client({ connection: firstConnection }).workflow.getHandle(workflowId).result();
      await firstConnection.close();
      const inboxTexts = async () =>
        (
          (await (await fetch(`${state.hubspot.baseUrl}/_sandbox/messages`)).json()) as { messages: { text: string }[] }
        ).messages.map((m) => m.text);
      assert.ok(
        (await inboxTexts()).includes('Hello through npm start'),
        'the generic message is in the sandbox inbox',
      );

      // A customer on the Telegram emulator: setWebhook was done at start, so the update reaches the bridge.
      const telegram = state.accounts.find((a) => a.provider === 'telegram')!;
      const emulator = new URL(telegram.customerPage!).origin;
      const [bot] = (await (await fetch(`${emulator}/_sandbox/telegram/bots`)).json()) as { id: number }[];
      const sent = await fetch(`${emulator}/_sandbox/telegram/bots/${bot!.id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: 4242, first_name: 'Tess', text: 'Hello from Telegram' }),
      });
      assert.equal(sent.status, 201);
      await waitFor(
        async () => ((await inboxTexts()).includes('Hello from Telegram') ? true : undefined),
        60_000,
        'the Telegram message in the inbox',
      );

      first.process.kill('SIGINT');
      assert.equal(await first.exited, 0);
      for (const url of [state.urls.api, state.hubspot.baseUrl, state.urls.temporal, state.urls.temporalUi]) {
        assert.equal(await portClosed(url), true, `${url} still answers after Ctrl-C`);
      }

      // Same data folder: the workflow of the first run is still in Temporal's history.
      const second = runCli(['start'], env);
      const restarted = await waitForLocalState(second, dataDir);
      const connection = await Connection.connect({ address: restarted.urls.temporal });
      try {
        const description = await new Client({ connection }).workflow.getHandle(workflowId).describe();
        assert.equal(description.status.name, 'COMPLETED');
      } finally {
        await connection.close();
      }
      second.process.kill('SIGTERM');
      assert.equal(await second.exited, 0);
    },
  );

  it('refuses to start with a readable reason when a port is taken', { timeout: 120_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-start-'));
    const env = await startEnv(dataDir);
    const blocker = net.createServer().listen(Number(env.BRIDGE_API_PORT), '127.0.0.1');
    try {
      const run = runCli(['start'], env);
      assert.equal(await run.exited, 1);
      assert.match(
        run.output(),
        new RegExp(`port ${env.BRIDGE_API_PORT} is already in use: stop what uses it, or set BRIDGE_API_PORT`),
      );
    } finally {
      blocker.close();
    }
  });

  it('in live mode, lists every missing or bad setting and starts nothing', { timeout: 120_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-start-'));
    const base = await startEnv(dataDir);
    const env = {
      ...base,
      HUBSPOT_CLIENT_ID: 'live-client-id',
      HUBSPOT_CHANNEL_ID: 'abc',
      BRIDGE_ENCRYPTION_KEY: '',
      BRIDGE_PUBLIC_URL: 'http://bridge.example.com',
    };
    const run = runCli(['start'], env);
    assert.equal(await run.exited, 1);
    assert.match(run.output(), /HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are required/);
    assert.match(run.output(), /BRIDGE_PUBLIC_URL must be https/);
    assert.match(run.output(), /BRIDGE_ENCRYPTION_KEY is required/);
    assert.match(run.output(), /HUBSPOT_CHANNEL_ID must be the numeric channel id/);
    assert.equal(await portClosed(`127.0.0.1:${base.TEMPORAL_PORT}`), true);
  });
});

describe('channel-bridge demo send', () => {
  it('explains that the system must be running when there is no local.json', async () => {
    const run = runCli(['demo', 'send', 'hello'], {
      BRIDGE_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-empty-')),
    });
    assert.equal(await run.exited, 1);
    assert.match(run.output(), /local\.json does not exist: start the system with "npm start" first/);
  });

  it('refuses an empty message and an unknown command', async () => {
    const empty = runCli(['demo', 'send', '  '], {});
    assert.notEqual(await empty.exited, 0);
    assert.match(empty.output(), /the message text is empty/);
    const unknown = runCli(['frobnicate'], {});
    assert.notEqual(await unknown.exited, 0);
    assert.match(unknown.output(), /unknown command 'frobnicate'/);
  });
});
