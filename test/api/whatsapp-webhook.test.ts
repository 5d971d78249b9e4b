import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';

const fixture = (name: string) =>
  fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/whatsapp', `${name}.json`), 'utf8');
const APP_SECRET = 'meta-app-secret';
const VERIFY_TOKEN = 'verify-me';
const sign = (body: string, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('/webhooks/whatsapp/:accountId', () => {
  let bridge: TestBridge;
  let account: AccountWithCredentials;
  before(async () => {
    bridge = await startTestBridge({ worker: false });
    account = await connectAccount(bridge, 'whatsapp', {
      phoneNumberId: '106540352242922',
      accessToken: 'EAAG-token',
      appSecret: APP_SECRET,
      verifyToken: VERIFY_TOKEN,
    });
  });
  after(() => bridge.stop());

  const url = () => `${bridge.apiUrl}/webhooks/whatsapp/${account.accountId}`;
  const post = (body: string, signature = sign(body)) =>
    fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
    });

  it('answers the subscription handshake with the challenge, and refuses a wrong verify token', async () => {
    const ok = await fetch(`${url()}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), '1158201444');
    const wrong = await fetch(`${url()}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444`);
    assert.equal(wrong.status, 403);
    assert.match(((await wrong.json()) as { error: string }).error, /handshake refused/);
  });

  it('starts inbound:{accountId}:{wamid} for a signed message', async () => {
    const res = await post(fixture('text'));
    assert.equal(res.status, 200);
    const workflowId = `inbound:${account.accountId}:wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzTEXT01`;
    assert.deepEqual(await res.json(), { ok: true, accepted: [{ workflowId, duplicate: false }] });
    await bridge.client.workflow.getHandle(workflowId).describe();
  });

  it("acknowledges statuses and another number's messages without starting anything", async () => {
    for (const name of ['statuses', 'other-phone-number']) {
      const res = await post(fixture(name));
      assert.equal(res.status, 200, name);
      assert.deepEqual(await res.json(), { ok: true, accepted: [] }, name);
    }
  });

  it('refuses a body signed with another secret, or one byte changed, with 401', async () => {
    const body = fixture('text');
    assert.equal((await post(body, sign(body, 'someone-else'))).status, 401);
    assert.equal((await post(body.replace('1042', '1043'), sign(body))).status, 401);
    assert.equal((await post(body, '')).status, 401);
  });

  it('refuses malformed JSON with 400, after the signature check', async () => {
    const res = await post('{"object": "whatsapp_business_account", "entry": [');
    assert.equal(res.status, 400);
  });
});
