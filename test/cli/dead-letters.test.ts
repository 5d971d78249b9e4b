import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { deadLetterId, deadLetterStoreOf, type DeadLetterStore } from '../../packages/bridge/src/api/dead-letters.js';
import { hubSpotSignatureV3 } from '../../packages/bridge/src/hubspot/signature.js';
import { freePort } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { tempStore } from '../helpers/bridge.js';
import { connectClient } from '../helpers/temporal.js';

const bin = path.resolve(import.meta.dirname, '../../packages/bridge/bin/channel-bridge.js');
const TOKEN = 'admin-token-for-cli-dead-letters';
const SECRET = 'cli-dead-letters-client-secret';

describe('channel-bridge messages dead-letters', () => {
  let apiUrl: string;
  let server: Server;
  let store: Store;
  let letters: DeadLetterStore;
  let closeTemporal: () => Promise<void>;

  /** Runs the real command against this api; resolves with its exit code and output. */
  const cli = (
    args: string[],
    env: Record<string, string> = { BRIDGE_ADMIN_TOKEN: TOKEN, BRIDGE_PUBLIC_URL: apiUrl },
  ) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const { BRIDGE_ADMIN_TOKEN: _t, BRIDGE_PUBLIC_URL: _u, ...rest } = process.env;
      execFile(
        process.execPath,
        [bin, 'messages', 'dead-letters', ...args],
        { env: { ...rest, ...env }, timeout: 60_000 },
        (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
        },
      );
    });
  const keep = async (event: Record<string, unknown>, reason: string) => {
    const body = JSON.stringify(event);
    const id = deadLetterId('hubspot', body);
    await letters.saveDeadLetter({
      id,
      source: 'hubspot',
      type: String(event.type ?? 'unusable'),
      reason,
      body,
      receivedAt: new Date().toISOString(),
    });
    return id;
  };

  before(async () => {
    store = tempStore().store;
    const found = deadLetterStoreOf(store);
    assert.ok(found, 'the store keeps no dead letters: it needs the dead_letters table and DeadLetterStore methods');
    letters = found;
    const temporal = await connectClient();
    closeTemporal = temporal.close;
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    const app = createApp({
      store,
      temporal: temporal.client,
      taskQueue: `cli-dead-letters-${randomUUID()}`,
      logger: createLogger('cli', 'silent'),
      maxBodyBytes: 65536,
      checkTemporal: async () => undefined,
      adminToken: TOKEN,
      hubspotWebhook: { url: `${apiUrl}/webhooks/hubspot`, clientSecret: SECRET },
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(port, '127.0.0.1', () => resolve(s));
    });
  });
  after(async () => {
    if (server) await new Promise<void>((r) => server.close(() => r()));
    await closeTemporal?.();
    await store?.close();
  });

  it('lists a letter a webhook dead-lettered, and shows its event', async () => {
    const event = {
      type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
      eventId: randomUUID(),
      portalId: 1,
      message: { text: 'no id' },
    };
    const body = JSON.stringify(event);
    const timestamp = String(Date.now());
    const res = await fetch(`${apiUrl}/webhooks/hubspot`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': timestamp,
        'x-hubspot-signature-v3': hubSpotSignatureV3(
          SECRET,
          'POST',
          `${apiUrl}/webhooks/hubspot`,
          Buffer.from(body),
          timestamp,
        ),
      },
      body,
    });
    assert.equal(res.status, 200);
    const id = deadLetterId('hubspot', body);
    const list = await cli(['list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(
      list.stdout,
      new RegExp(
        `^${id}  \\S+  OUTGOING_CHANNEL_MESSAGE_CREATED  event ${event.eventId}  \\d+ B  0 replays\\n  .*message\\.id`,
        'm',
      ),
    );
    const shown = await cli(['show', id, '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.deepEqual((JSON.parse(shown.stdout) as { event: unknown }).event, event);
  });

  it('replays: exit 3 with the reason while still unusable, exit 0 and the letter gone once handled', async () => {
    const unusable = await keep({ eventId: 'no-type', portalId: 1 }, 'no event type');
    const failed = await cli(['replay', unusable]);
    assert.equal(failed.code, 3);
    assert.match(failed.stderr, /still unusable: no event type/);
    assert.equal((await letters.getDeadLetter(unusable))?.replayAttempts, 1);

    const messageId = randomUUID();
    const usable = await keep(
      {
        type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
        eventId: randomUUID(),
        portalId: 243842089,
        message: { id: messageId, channelAccountId: '987654', text: 'hello', recipients: [] },
      },
      'message.id: Required',
    );
    const replayed = await cli(['replay', usable]);
    assert.equal(replayed.code, 0, replayed.stderr);
    assert.equal(replayed.stdout.trim(), `replayed ${usable}: accepted outbound:${messageId}; the letter is removed`);
    assert.equal(await letters.getDeadLetter(usable), undefined);
  });

  it('discards a letter, and exits 3 for one that is not there', async () => {
    const id = await keep({ eventId: 'discard-me' }, 'no event type');
    assert.equal((await cli(['discard', id])).code, 0);
    const again = await cli(['discard', id]);
    assert.equal(again.code, 3);
    assert.match(again.stderr, new RegExp(`no dead letter ${id}`));
  });

  it('exits 2 without or with a wrong admin token, and 4 when the api is unreachable', async () => {
    const none = await cli(['list'], { BRIDGE_PUBLIC_URL: apiUrl });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /BRIDGE_ADMIN_TOKEN/);
    const wrong = await cli(['list'], { BRIDGE_PUBLIC_URL: apiUrl, BRIDGE_ADMIN_TOKEN: 'not-the-admin-token-at-all' });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /admin token is wrong/);
    const down = await cli(['list', '--api-url', `http://127.0.0.1:${await freePort()}`]);
    assert.equal(down.code, 4);
    assert.match(down.stderr, /unreachable/);
  });
});
