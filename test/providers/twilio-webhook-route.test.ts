import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { after, before, describe, it } from 'node:test';
import { errorHandler } from '../../packages/bridge/src/api/middleware/error-handler.js';
import { providerWebhookRouter } from '../../packages/bridge/src/api/routes/provider-webhook.js';
import type { RawWebhook } from '../../packages/bridge/src/providers/types.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import type { AccountWithCredentials, Store } from '../../packages/bridge/src/store/types.js';

const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
const PUBLIC_URL = 'https://bridge.example.com';
const account = (provider: 'twilio' | 'generic', accountId: string): AccountWithCredentials =>
  ({
    accountId,
    provider,
    credentials:
      provider === 'twilio'
        ? { accountSid: `AC${'5a'.repeat(16)}`, authToken: AUTH_TOKEN, sender: '+15005550006' }
        : { signingSecret: `whsec_${Buffer.from('route test secret').toString('base64')}` },
  }) as unknown as AccountWithCredentials;
const ACCOUNTS = [account('twilio', 'tw-1'), account('generic', 'gen-1')];

const sign = (url: string, params: Record<string, string>) =>
  createHmac('sha1', AUTH_TOKEN)
    .update(
      Object.keys(params)
        .sort()
        .reduce((acc, name) => acc + name + params[name], url),
    )
    .digest('base64');

/** The webhook route with a module's webhook spec: Twilio's form bodies, its TwiML ack, the public URL it signed. */
describe('provider webhook route: a provider that posts forms and signs the public URL', () => {
  let server: Server;
  let local: string;
  const started: RawWebhook[] = [];

  before(async () => {
    const store = { getAccount: async (id: string) => ACCOUNTS.find((a) => a.accountId === id) } as unknown as Store;
    const app = express()
      .use(
        providerWebhookRouter({
          store,
          logger: createLogger('test', 'silent'),
          maxBodyBytes: 64 * 1024,
          publicUrl: PUBLIC_URL,
          startInbound: async (message, webhook) => {
            started.push(webhook);
            return { workflowId: `inbound:${message.providerMessageId}`, started: true };
          },
          routeReceipt: async () => undefined,
        }),
      )
      .use(errorHandler(createLogger('test', 'silent')));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const params = {
    MessageSid: 'SM1',
    AccountSid: `AC${'5a'.repeat(16)}`,
    From: '+15551230001',
    To: '+15005550006',
    Body: 'Hi',
  };
  const postForm = (path: string, signature: string, contentType = 'application/x-www-form-urlencoded') =>
    fetch(`${local}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });

  it('checks the signature against BRIDGE_PUBLIC_URL + the path and query as called, and answers empty TwiML', async () => {
    const path = '/webhooks/twilio/tw-1?tag=a';
    const res = await postForm(path, sign(`${PUBLIC_URL}${path}`, params));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/xml; charset=utf-8');
    assert.equal(await res.text(), '<?xml version="1.0" encoding="UTF-8"?><Response/>');
    assert.equal(started.at(-1)?.url, `${PUBLIC_URL}${path}`);
  });

  it("refuses a signature over the api's own address: only the public one counts", async () => {
    const path = '/webhooks/twilio/tw-1';
    const res = await postForm(path, sign(`${local}${path}`, params));
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as { error: string }).error, /X-Twilio-Signature does not match/);
  });

  it('names the content types a provider takes in its 415, and keeps JSON-only for the others', async () => {
    const twilio = await postForm('/webhooks/twilio/tw-1', 'x', 'text/plain');
    assert.equal(twilio.status, 415);
    assert.match(
      ((await twilio.json()) as { error: string }).error,
      /content-type must be application\/x-www-form-urlencoded or application\/json/,
    );
    const generic = await postForm('/webhooks/generic/gen-1', 'x');
    assert.equal(generic.status, 415);
    assert.equal(((await generic.json()) as { error: string }).error, 'content-type must be application/json');
    const unknown = await postForm('/webhooks/nobody/x', 'x', 'application/json');
    assert.equal(unknown.status, 404);
  });
});
