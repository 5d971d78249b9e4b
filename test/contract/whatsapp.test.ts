import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import type { InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import type { InboundEvent } from '../../packages/bridge/src/providers/types.js';
import { normaliseWhatsAppWebhook } from '../../packages/bridge/src/providers/whatsapp/normalise.js';
import { signHubSignature } from '../../packages/bridge/src/providers/whatsapp/verify.js';
import { createWhatsAppSandbox, type WhatsAppSandbox } from '../../packages/sandbox/src/whatsapp/app.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { waitFor } from '../helpers/temporal.js';
import { SAMPLES, webp } from '../helpers/whatsapp-media.js';
import { EXPECTED, type Expected, type ExpectedMessage } from './whatsapp-expectations.js';

/**
 * Real-world-shaped WhatsApp webhooks (test/contract/whatsapp/, sources in its sources.md): each must
 * become exactly the events EXPECTED lists, and, posted signed to the real bridge api, a 200 and those
 * messages in the HubSpot sandbox inbox, in the right threads, with their files.
 */

const DIR = path.resolve(import.meta.dirname, 'whatsapp');
const NAMES = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
const body = (name: string) => fs.readFileSync(path.join(DIR, `${name}.json`));
const WA = { accessToken: 'EAAG-contract-token', appSecret: 'contract-app-secret', verifyToken: 'contract-verify-token', phoneNumberId: '106540352242922' };

/** The `messages[]` items of a payload, in order, as Meta listed them. */
function rawMessages(name: string): { id: string; from?: string; from_user_id?: string }[] {
  const envelope = JSON.parse(body(name).toString()) as { entry: { changes: { value?: { messages?: { id: string; from?: string; from_user_id?: string }[] } }[] }[] };
  return envelope.entry.flatMap((e) => e.changes.flatMap((c) => c.value?.messages ?? []));
}
const expectedMessages = (name: string) => EXPECTED[name]!.filter((e): e is ExpectedMessage => e.kind === 'message');

function assertText(actual: string, expected: ExpectedMessage['text'], where: string) {
  if (typeof expected === 'string') return assert.equal(actual, expected, where);
  for (const part of expected) assert.ok(actual.includes(part), `${where}: "${part}" missing from:\n${actual}`);
}

function assertEvent(event: InboundEvent, expected: Expected, where: string) {
  assert.equal(event.kind, expected.kind, `${where}: ${JSON.stringify(event)}`);
  if (event.kind === 'ignored' && expected.kind === 'ignored') return assert.equal(event.code, expected.code, `${where}: ${event.reason}`);
  if (event.kind === 'receipt' && expected.kind === 'receipt') {
    assert.equal(event.status, expected.status, where);
    if (expected.reason) assert.match(event.reason ?? '', expected.reason, where);
    else assert.equal(event.reason, undefined, where);
    return;
  }
  if (event.kind !== 'message' || expected.kind !== 'message') return;
  const m: InboundMessage = event.message;
  assertText(m.text, expected.text, where);
  assert.deepEqual(m.media.map((x) => x.kind), expected.media ? [expected.media] : [], `${where}: media`);
  if (expected.filename) assert.equal(m.media[0]?.filename, expected.filename, where);
  assert.equal(m.replyToProviderMessageId, expected.replyTo, `${where}: reply-to`);
  if (expected.chat) assert.equal(m.providerChatId, expected.chat, `${where}: chat`);
  assert.equal(m.conversationKey, `acct-contract:${m.providerChatId}`, `${where}: conversation key`);
  assert.equal(m.location !== undefined, expected.location === true, `${where}: location`);
  assert.equal(m.contacts?.length ?? 0, expected.contactCards ?? 0, `${where}: contact cards`);
  if (expected.senderName) assert.equal(m.sender.name, expected.senderName, where);
  if (expected.noPhone) assert.equal(m.sender.phone, undefined, where);
  else assert.equal(m.sender.phone, `+${m.providerChatId}`, where);
}

describe('the WhatsApp contract corpus', () => {
  it('holds at least 40 payloads, each with an expectation and a source, and nothing else', () => {
    assert.ok(NAMES.length >= 40, `${NAMES.length} payloads`);
    assert.deepEqual(NAMES, Object.keys(EXPECTED).sort());
    const sources = fs.readFileSync(path.join(DIR, 'sources.md'), 'utf8');
    for (const name of NAMES) assert.match(sources, new RegExp(`^\\| ${name}\\.json \\| \\S`, 'm'), `${name} has no source`);
  });

  it('uses only ignore codes that docs/PROVIDERS.md lists as deliberate WhatsApp ignores', () => {
    const docs = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/PROVIDERS.md'), 'utf8');
    const section = docs.slice(docs.indexOf('#### WhatsApp: deliberate ignores'), docs.indexOf('### Media in', docs.indexOf('#### WhatsApp: deliberate ignores')));
    const listed = new Set([...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((match) => match[1]));
    for (const code of new Set(Object.values(EXPECTED).flat().flatMap((e) => (e.kind === 'ignored' ? [e.code] : [])))) assert.ok(listed.has(code), `${code} is not in the docs' list`);
  });

  for (const name of NAMES) {
    it(`normalises ${name}.json into exactly what the rep must see`, () => {
      const events = normaliseWhatsAppWebhook({ accountId: asAccountId('acct-contract'), phoneNumberId: WA.phoneNumberId }, { headers: {}, body: body(name) });
      const expected = EXPECTED[name]!;
      assert.equal(events.length, expected.length, JSON.stringify(events, null, 1));
      events.forEach((event, i) => assertEvent(event, expected[i]!, `${name}[${i}]`));
    });
  }
});

/** Every media id the corpus uses, with bytes of its type, so the bridge can fetch them from the Graph emulator. */
const MEDIA: Readonly<Record<string, { mime: string; data: Buffer }>> = {
  '2200110000000001': { mime: 'image/jpeg', data: SAMPLES.jpeg() },
  '2200110000000002': { mime: 'image/jpeg', data: SAMPLES.jpeg() },
  '2200110000000003': { mime: 'image/jpeg', data: SAMPLES.jpeg() },
  '2200110000000004': { mime: 'video/mp4', data: SAMPLES.mp4() },
  '2200110000000005': { mime: 'audio/mpeg', data: SAMPLES.mp3() },
  '2200110000000006': { mime: 'audio/ogg', data: SAMPLES.ogg() },
  '2200110000000007': { mime: 'application/pdf', data: SAMPLES.pdf() },
  '2200110000000008': { mime: 'image/webp', data: webp(2000, true) },
  '2200110000000009': { mime: 'image/jpeg', data: SAMPLES.jpeg() },
};

/** `bridge_webhook_items_ignored_total` for WhatsApp, by code. */
async function ignoredCounts(apiUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('bridge_webhook_items_ignored_total{') || !line.includes('provider="whatsapp"')) continue;
    counts.set(/code="([^"]+)"/.exec(line)![1]!, Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return counts;
}

describe('the WhatsApp contract corpus, end to end through the bridge', () => {
  let bridge: TestBridge;
  let whatsapp: WhatsAppSandbox;
  let waServer: Server;
  let account: AccountWithCredentials;

  before(async () => {
    whatsapp = createWhatsAppSandbox({ ...WA, statusDelayMs: 50 });
    for (const [id, { mime, data }] of Object.entries(MEDIA)) whatsapp.whatsapp.media.set(id, { id, mimeType: mime, data, sha256Hex: '', owner: 'customer' });
    waServer = await new Promise<Server>((resolve) => {
      const s = whatsapp.listen(0, '127.0.0.1', () => resolve(s));
    });
    const waUrl = `http://127.0.0.1:${(waServer.address() as AddressInfo).port}`;
    bridge = await startTestBridge({ inbound: { providerEndpoints: { settings: { whatsapp: { graphBaseUrl: waUrl } }, allowPrivateMediaHosts: ['127.0.0.1'] } } });
    const { phoneNumberId, ...secrets } = WA;
    account = await connectAccount(bridge, 'whatsapp', { phoneNumberId, ...secrets });
  });
  after(async () => {
    whatsapp?.stopTimers();
    await new Promise<void>((r) => (waServer ? waServer.close(() => r()) : r()));
    await bridge?.stop();
  });

  it('answers every payload 200, puts each message in the inbox in its thread, and counts each ignore by code', { timeout: 240_000 }, async () => {
    const before = await ignoredCounts(bridge.apiUrl);
    const accepted = new Map<string, string[]>();
    // Post all first, in the table's order (an original before its edit or deletion), then poll: the workflows run side
    // by side.
    for (const name of Object.keys(EXPECTED)) {
      const raw = body(name);
      const res = await fetch(`${bridge.apiUrl}/webhooks/whatsapp/${account.accountId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signHubSignature(WA.appSecret, raw) },
        body: raw,
      });
      const answer = (await res.json()) as { accepted?: { workflowId: string }[] };
      assert.equal(res.status, 200, `${name}: ${JSON.stringify(answer)}`);
      accepted.set(name, (answer.accepted ?? []).map((a) => a.workflowId));
    }

    const hubspotIdOf = new Map<string, string>();
    const threadOfChat = new Map<string, string>();
    const chatOfThread = new Map<string, string>();
    for (const name of Object.keys(EXPECTED)) {
      const items = rawMessages(name);
      const expected = expectedMessages(name);
      const workflowIds = accepted.get(name)!;
      assert.equal(workflowIds.length, expected.length, `${name}: accepted ${JSON.stringify(workflowIds)}`);
      for (const [i, want] of expected.entries()) {
        const item = items.find((it) => workflowIds[i] === `inbound:${account.accountId}:${it.id}`);
        assert.ok(item, `${name}[${i}]: ${workflowIds[i]} is not one of the payload's messages`);
        const handle = bridge.client.workflow.getHandle(workflowIds[i]!);
        const published = (await waitFor(() => handle.result().catch(() => undefined), 120_000, workflowIds[i])) as { hubspotMessageId: string; hubspotThreadId: string };
        const hs = bridge.sandboxState.messages.get(published.hubspotMessageId)!;
        hubspotIdOf.set(item.id, published.hubspotMessageId);
        // A reaction, edit or deletion of a message the bridge carried is linked to it in HubSpot.
        if (want.replyTo && hubspotIdOf.has(want.replyTo)) assert.equal(hs.inReplyToId, hubspotIdOf.get(want.replyTo), `${name}[${i}]: inReplyToId`);
        assertText(hs.text, want.text, `${name}[${i}] in HubSpot`);
        const files = hs.attachments.filter((a) => a.type === 'FILE');
        assert.equal(files.length, want.media ? 1 : 0, `${name}[${i}]: files ${JSON.stringify(hs.attachments)}`);
        if (want.location) assert.ok(hs.attachments.some((a) => a.type === 'LOCATION'), `${name}[${i}]: LOCATION`);
        assert.equal(hs.attachments.filter((a) => a.type === 'CONTACT').length, want.contactCards ?? 0, `${name}[${i}]: CONTACT`);
        // One thread per customer, and never two customers in one thread.
        const chat = want.chat ?? item.from ?? item.from_user_id!;
        assert.equal(threadOfChat.get(chat) ?? published.hubspotThreadId, published.hubspotThreadId, `${name}[${i}]: ${chat} changed thread`);
        assert.equal(chatOfThread.get(published.hubspotThreadId) ?? chat, chat, `${name}[${i}]: thread shared with another customer`);
        threadOfChat.set(chat, published.hubspotThreadId);
        chatOfThread.set(published.hubspotThreadId, chat);
      }
    }

    const after = await ignoredCounts(bridge.apiUrl);
    const want = new Map<string, number>();
    for (const name of NAMES) for (const e of EXPECTED[name]!) if (e.kind === 'ignored') want.set(e.code, (want.get(e.code) ?? 0) + 1);
    const got = new Map([...after].map(([code, n]) => [code, n - (before.get(code) ?? 0)] as const).filter(([, n]) => n > 0));
    assert.deepEqual(Object.fromEntries([...got].sort()), Object.fromEntries([...want].sort()));
  });
});
