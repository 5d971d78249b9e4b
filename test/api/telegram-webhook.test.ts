import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { INBOUND_WORKFLOW_TYPE } from '../../packages/bridge/src/domain/workflow-types.js';

const fixture = (name: string) =>
  fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/telegram', `${name}.json`), 'utf8');
const SECRET = 'webhook-secret_123';

// No worker: these tests look at what the api accepts from Telegram and which workflows it starts.
describe('POST /webhooks/telegram/:accountId', () => {
  let bridge: TestBridge;
  let account: AccountWithCredentials;
  before(async () => {
    bridge = await startTestBridge({ worker: false });
    account = await connectAccount(bridge, 'telegram', { botToken: '123456:sandbox-token', secretToken: SECRET });
  });
  after(() => bridge.stop());

  const post = (body: string, secret: string | null = SECRET) =>
    fetch(`${bridge.apiUrl}/webhooks/telegram/${account.accountId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
      },
      body,
    });

  it('starts inbound:{accountId}:{chatId}:{messageId} for a customer message and absorbs a redelivery', async () => {
    const first = await post(fixture('text'));
    assert.equal(first.status, 200);
    const workflowId = `inbound:${account.accountId}:7113042871:101`;
    assert.deepEqual(await first.json(), { ok: true, accepted: [{ workflowId, duplicate: false }] });
    assert.equal((await bridge.client.workflow.getHandle(workflowId).describe()).type, INBOUND_WORKFLOW_TYPE);
    const again = await post(fixture('text'));
    assert.deepEqual(await again.json(), { ok: true, accepted: [{ workflowId, duplicate: true }] });
  });

  it('acknowledges an update type the bridge does not carry, so Telegram stops retrying it', async () => {
    const res = await post(fixture('callback_query'));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true, accepted: [] });
  });

  it('refuses a wrong or missing secret token with 401', async () => {
    const wrong = await post(fixture('text'), 'not-the-secret');
    assert.equal(wrong.status, 401);
    assert.match(((await wrong.json()) as { error: string }).error, /does not match the webhook secret/);
    const missing = await post(fixture('text'), null);
    assert.equal(missing.status, 401);
    assert.match(((await missing.json()) as { error: string }).error, /missing X-Telegram-Bot-Api-Secret-Token/);
  });

  it('refuses malformed JSON and an update without update_id with 400', async () => {
    const broken = await post('{"update_id": 1, "message": {');
    assert.equal(broken.status, 400);
    const noId = await post(JSON.stringify({ message: JSON.parse(fixture('text')).message }));
    assert.equal(noId.status, 400);
    assert.match(((await noId.json()) as { error: string }).error, /update_id/);
  });

  it('answers 404 when the account belongs to another provider', async () => {
    const res = await fetch(`${bridge.apiUrl}/webhooks/telegram/${bridge.account.accountId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: fixture('text'),
    });
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: string }).error, /no telegram account \d+ is connected/);
  });

  it('answers 404 for an unknown provider and 405 for a GET handshake Telegram does not use', async () => {
    assert.equal(
      (
        await fetch(`${bridge.apiUrl}/webhooks/icq/${account.accountId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
      404,
    );
    const get = await fetch(`${bridge.apiUrl}/webhooks/telegram/${account.accountId}`);
    assert.equal(get.status, 405);
  });
});
