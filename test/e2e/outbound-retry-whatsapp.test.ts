import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { retryMessage, showMessage, type InspectContext } from '../../packages/bridge/src/inspect/index.js';
import { NotRetryable } from '../../packages/bridge/src/inspect/errors.js';
import { createWhatsAppSandbox, type WhatsAppSandbox } from '../../packages/sandbox/src/whatsapp/app.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { openThread, replyAsRep, statusUpdates, waitForStatus } from '../helpers/outbound-world.js';

const SECRETS = { accessToken: 'EAAG-retry-token', appSecret: 'retry-app-secret', verifyToken: 'retry-verify-token' };
const PHONE_NUMBER_ID = '106540352242977';

/**
 * A reply WhatsApp took and then reported failed (the customer's 24-hour window had closed). Once the customer writes
 * again, the operator's retry sends exactly that part again, under a ledger row of its own (the first send stays
 * recorded as sent), and HubSpot's status moves from FAILED to SENT.
 */
describe('outbound retry: a reply the provider took and reported failed afterwards', () => {
  let bridge: TestBridge;
  let account: AccountWithCredentials;
  let emulator: WhatsAppSandbox;
  let server: Server;
  let base: string;
  let ctx: InspectContext;

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/_sandbox/whatsapp${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  before(async () => {
    emulator = createWhatsAppSandbox({ ...SECRETS, phoneNumberId: PHONE_NUMBER_ID, statusDelayMs: 50 });
    server = await new Promise<Server>((resolve) => {
      const s = emulator.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    bridge = await startTestBridge({
      outbound: { providerEndpoints: { settings: { whatsapp: { graphBaseUrl: base } } } },
    });
    account = await connectAccount(bridge, 'whatsapp', { phoneNumberId: PHONE_NUMBER_ID, ...SECRETS });
    assert.equal(
      (
        await control('POST', '/webhook', {
          url: `${bridge.apiUrl}/webhooks/whatsapp/${account.accountId}`,
          verifyToken: SECRETS.verifyToken,
        })
      ).status,
      200,
    );
    ctx = { client: bridge.client as Client, namespace: 'default', uiUrl: 'http://ui.test:8233' };
  });
  after(async () => {
    emulator?.stopTimers();
    await new Promise<void>((r) => server?.close(() => r()));
    await bridge?.stop();
  });

  it('sends the failed part again once the window is open, and HubSpot moves from FAILED to SENT', async () => {
    const waId = '447700900977';
    // The customer last wrote 25 hours ago: WhatsApp takes the message, then reports it failed (131047).
    await control('POST', `/customers/${waId}`, {
      name: 'Jane Customer',
      lastInboundAt: new Date(Date.now() - 25 * 3_600_000).toISOString(),
    });
    const threadId = await openThread(bridge, account, waId, { type: 'HS_PHONE_NUMBER', value: `+${waId}` });
    const messageId = await replyAsRep(bridge, threadId, { text: 'Following up on your order' });
    await waitForStatus(bridge, messageId, 'FAILED', 60_000);
    const first = (await bridge.client.workflow.getHandle(`outbound:${messageId}`).result()) as { status: string };
    assert.equal(first.status, 'FAILED');
    assert.deepEqual(
      (await statusUpdates(bridge, messageId)).map((u) => u.statusType),
      ['SENT', 'FAILED'],
    );
    const report = await showMessage(ctx, messageId);
    assert.deepEqual([report.status, report.retry.retryable], ['FAILED', true]);

    // The customer writes again: the window is open.
    await control('POST', `/customers/${waId}`, { name: 'Jane Customer', lastInboundAt: new Date().toISOString() });
    const retried = await retryMessage(ctx, messageId);
    assert.equal(retried.kind, 'resend');
    const second = (await bridge.client.workflow.getHandle(`outbound:${messageId}`, retried.runId).result()) as {
      status: string;
    };
    assert.notEqual(second.status, 'FAILED');
    const updates = (await statusUpdates(bridge, messageId)).map((u) => u.statusType);
    assert.deepEqual(updates.slice(0, 3), ['SENT', 'FAILED', 'SENT'], 'FAILED, then SENT again');
    const sent = ((await control('GET', '/ledger')).body.sent as { to: string; text?: { body?: string } }[]).filter(
      (m) => m.to === waId,
    );
    assert.equal(sent.length, 2, 'the failed message, then the one sent again: nothing else');
    // A second retry has nothing left to cure: the reply is no longer failed.
    await assert.rejects(retryMessage(ctx, messageId), (error: unknown) => error instanceof NotRetryable);
  });
});
