import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { retryMessage, showMessage, type InspectContext } from '../../src/inspect/index.js';
import { NotRetryable } from '../../src/inspect/errors.js';
import { createWhatsAppSandbox, type WhatsAppSandbox } from '../../src/sandbox/whatsapp/app.js';
import type { AccountWithCredentials } from '../../src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { openThread, replyAsRep, statusUpdates, waitForStatus } from '../helpers/outbound-world.js';

const SECRETS = { accessToken: 'EAAG-retry-token', appSecret: 'retry-app-secret', verifyToken: 'retry-verify-token' };
const PHONE_NUMBER_ID = '106540352242977';

/**
 * A reply WhatsApp took and then reported failed (the customer's 24-hour window had closed): the part ledger records
 * it as sent, so a new run would send nothing and claim SENT. The retry (through its function) refuses, saying why.
 */
describe('outbound retry: a reply the provider took and reported failed afterwards', () => {
  let bridge: TestBridge;
  let account: AccountWithCredentials;
  let emulator: WhatsAppSandbox;
  let server: Server;
  let base: string;
  let ctx: InspectContext;

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/_sandbox/whatsapp${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  before(async () => {
    emulator = createWhatsAppSandbox({ ...SECRETS, phoneNumberId: PHONE_NUMBER_ID, statusDelayMs: 50 });
    server = await new Promise<Server>((resolve) => {
      const s = emulator.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    bridge = await startTestBridge({ outbound: { providerEndpoints: { whatsappGraphBaseUrl: base } } });
    account = await connectAccount(bridge, 'whatsapp', { phoneNumberId: PHONE_NUMBER_ID, ...SECRETS });
    assert.equal((await control('POST', '/webhook', { url: `${bridge.apiUrl}/webhooks/whatsapp/${account.accountId}`, verifyToken: SECRETS.verifyToken })).status, 200);
    ctx = { client: bridge.client as Client, namespace: 'default', uiUrl: 'http://ui.test:8233' };
  });
  after(async () => {
    emulator?.stopTimers();
    await new Promise<void>((r) => server?.close(() => r()));
    await bridge?.stop();
  });

  it('refuses with the reason and what to do instead, sends nothing, and leaves HubSpot at FAILED', async () => {
    const waId = '447700900977';
    // The customer last wrote 25 hours ago: WhatsApp takes the message, then reports it failed (131047).
    await control('POST', `/customers/${waId}`, { name: 'Jane Customer', lastInboundAt: new Date(Date.now() - 25 * 3_600_000).toISOString() });
    const threadId = await openThread(bridge, account, waId, { type: 'HS_PHONE_NUMBER', value: `+${waId}` });
    const messageId = await replyAsRep(bridge, threadId, { text: 'Following up on your order' });
    await waitForStatus(bridge, messageId, 'FAILED', 60_000);
    const result = (await bridge.client.workflow.getHandle(`outbound:${messageId}`).result()) as { status: string };
    assert.equal(result.status, 'FAILED');
    const before = await statusUpdates(bridge, messageId);
    assert.deepEqual(before.map((u) => u.statusType), ['SENT', 'FAILED']);

    const report = await showMessage(ctx, messageId);
    assert.deepEqual([report.status, report.retry.retryable, report.retry.label], ['FAILED', false, 'no: sent, then failed']);
    await assert.rejects(retryMessage(ctx, messageId), (error: unknown) => {
      assert.ok(error instanceof NotRetryable);
      assert.match(error.message, /the provider took every part \(SENT\) and reported it failed afterwards \(.*24 hours.*\); a retry would find every part recorded as sent and send nothing: ask the rep to send the reply again from HubSpot/);
      return true;
    });
    await new Promise((r) => setTimeout(r, 1000));
    const sent = ((await control('GET', '/ledger')).body.sent as { to: string }[]).filter((m) => m.to === waId);
    assert.equal(sent.length, 1, 'nothing sent by the refused retry');
    assert.deepEqual(await statusUpdates(bridge, messageId), before);
    assert.equal((await bridge.client.workflow.getHandle(`outbound:${messageId}`).describe()).runId, report.runId, 'no new run was started');
  });
});
