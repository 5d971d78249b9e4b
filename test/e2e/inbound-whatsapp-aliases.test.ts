import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createWhatsAppSandbox, type WhatsAppSandbox } from '../../packages/sandbox/src/whatsapp/app.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { replyAsRep, waitForStatus } from '../helpers/outbound-world.js';
import { waitFor } from '../helpers/temporal.js';

const SECRETS = { accessToken: 'EAAG-alias-token', appSecret: 'alias-app-secret', verifyToken: 'alias-verify-token' };
const PHONE_NUMBER_ID = '106540352242922';

type IdentifiedBy = 'phone' | 'userId' | 'both';

interface SentMessage {
  readonly to: string;
  readonly request: { to?: string; recipient?: string; text?: { body: string } };
}

/**
 * A WhatsApp customer known by phone number and business-scoped user id, who writes by one, the other or both:
 * emulator → bridge api (the alias is resolved there) → Temporal → HubSpot sandbox, and a rep's reply back.
 */
describe('inbound: one HubSpot thread for a WhatsApp customer across phone number and business-scoped user id', () => {
  let bridge: TestBridge;
  let account: AccountWithCredentials;
  let emulator: WhatsAppSandbox;
  let server: Server;
  let base: string;
  let nextCustomer = 0;

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
      inbound: { providerEndpoints: { settings: { whatsapp: { graphBaseUrl: base } } } },
      outbound: { providerEndpoints: { settings: { whatsapp: { graphBaseUrl: base } } } },
    });
    account = await connectAccount(bridge, 'whatsapp', { phoneNumberId: PHONE_NUMBER_ID, ...SECRETS });
    const subscribed = await control('POST', '/webhook', {
      url: `${bridge.apiUrl}/webhooks/whatsapp/${account.accountId}`,
      verifyToken: SECRETS.verifyToken,
    });
    assert.equal(subscribed.status, 200);
  });
  after(async () => {
    emulator?.stopTimers();
    await new Promise<void>((r) => server?.close(() => r()));
    await bridge?.stop();
  });

  const newCustomer = () => {
    nextCustomer += 1;
    return {
      phone: `44770090${String(nextCustomer).padStart(4, '0')}`,
      bsuid: `GB.${String(nextCustomer).padStart(3, '0')}4491208655302741918`,
    };
  };

  /** The customer writes; the emulator pushes the webhook. Resolves with the wamid and the delivery's number. */
  async function write(who: { phone: string; bsuid: string }, identifiedBy: IdentifiedBy, text: string) {
    const res = await control('POST', '/customer/messages', {
      from: who.phone,
      userId: who.bsuid,
      identifiedBy,
      name: 'Jane Customer',
      type: 'text',
      text,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { wamid: String(res.body.wamid), delivery: Number(res.body.delivery) };
  }

  /** Waits until the bridge's api acknowledged the webhook: by then it has decided the message's conversation. */
  async function acknowledged(delivery: number): Promise<void> {
    await waitFor(
      async () => {
        const { deliveries } = (await control('GET', '/webhooks')).body as {
          deliveries: { seq: number; delivered: boolean }[];
        };
        return deliveries.find((d) => d.seq === delivery)?.delivered ? true : undefined;
      },
      30_000,
      `webhook ${delivery} acknowledged`,
    );
  }

  /** The HubSpot thread each message was published into. */
  async function threadsOf(wamids: readonly string[]): Promise<string[]> {
    const threads: string[] = [];
    for (const wamid of wamids) {
      const handle = bridge.client.workflow.getHandle(`inbound:${account.accountId}:${wamid}`);
      const published = (await waitFor(() => handle.result().catch(() => undefined), 90_000, `${wamid} published`)) as {
        hubspotThreadId: string;
      };
      threads.push(published.hubspotThreadId);
    }
    return threads;
  }

  /** Writes in turn, each acknowledged before the next, as a customer typing one message after another. */
  async function writeInTurn(who: { phone: string; bsuid: string }, order: readonly IdentifiedBy[]): Promise<string[]> {
    const wamids: string[] = [];
    for (const [i, by] of order.entries()) {
      const { wamid, delivery } = await write(who, by, `message ${i + 1} by ${by}`);
      await acknowledged(delivery);
      wamids.push(wamid);
    }
    return wamids;
  }

  /** A rep answers in the thread; the reply must reach the customer under `chatId`, and HubSpot show it READ. */
  async function repReplies(threadId: string, chatId: string, text: string): Promise<SentMessage> {
    const messageId = await replyAsRep(bridge, threadId, { text });
    assert.deepEqual(await waitForStatus(bridge, messageId, 'READ', 60_000), [
      { statusType: 'SENT' },
      { statusType: 'READ' },
    ]);
    const sent = ((await control('GET', '/ledger')).body.sent as SentMessage[]).filter(
      (m) => m.request.text?.body === text,
    );
    assert.equal(sent.length, 1, 'sent once');
    assert.equal(sent[0]!.to, chatId);
    return sent[0]!;
  }

  it('keeps a customer who began with phone and BSUID in the phone thread when they then write by BSUID only, then by phone only', async () => {
    const who = newCustomer();
    const threads = await threadsOf(await writeInTurn(who, ['both', 'userId', 'phone']));
    assert.equal(new Set(threads).size, 1, `three messages, threads ${threads.join(', ')}`);
    assert.equal(
      bridge.sandboxState.threads.get(threads[0]!)?.integrationThreadId,
      `${account.accountId}:${who.phone}`,
    );
    const sent = await repReplies(threads[0]!, who.phone, 'Thanks Jane, your parcel left today');
    assert.equal(sent.request.to, who.phone, 'to a phone number through `to`');
  });

  it('keeps a customer who began by BSUID only in the BSUID thread when they then write with both ids, then by phone only', async () => {
    const who = newCustomer();
    const threads = await threadsOf(await writeInTurn(who, ['userId', 'both', 'phone']));
    assert.equal(new Set(threads).size, 1, `three messages, threads ${threads.join(', ')}`);
    assert.equal(
      bridge.sandboxState.threads.get(threads[0]!)?.integrationThreadId,
      `${account.accountId}:${who.bsuid}`,
    );
    const sent = await repReplies(threads[0]!, who.bsuid, 'Hello Jane, we have your order');
    assert.equal(sent.request.recipient, who.bsuid, 'to a business-scoped user id through `recipient`');
    assert.equal(sent.request.to, undefined);
  });

  it('puts two webhooks of a new customer arriving at once, one with both ids and one with the BSUID only, in one thread', async () => {
    const who = newCustomer();
    const writes = await Promise.all([
      write(who, 'both', 'at once, with both'),
      write(who, 'userId', 'at once, BSUID only'),
    ]);
    await Promise.all(writes.map((w) => acknowledged(w.delivery)));
    const { wamid, delivery } = await write(who, 'phone', 'afterwards, phone only');
    await acknowledged(delivery);
    const threads = await threadsOf([...writes.map((w) => w.wamid), wamid]);
    assert.equal(new Set(threads).size, 1, `three messages, threads ${threads.join(', ')}`);
    const key = bridge.sandboxState.threads.get(threads[0]!)?.integrationThreadId;
    assert.ok(key === `${account.accountId}:${who.phone}` || key === `${account.accountId}:${who.bsuid}`, String(key));
  });
});
