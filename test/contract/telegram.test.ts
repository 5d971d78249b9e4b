import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { fileObjectsOf, telegramContractUpdate } from '../helpers/telegram-contract.js';
import { startTelegramSandbox, waitUntil, type TelegramSandboxHandle } from '../helpers/telegram-sandbox.js';
import { TELEGRAM_EXPECTATIONS } from './telegram-expectations.js';

const SECRET = 'contract_secret-7';
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000400000003008060000', 'hex'), Buffer.alloc(64, 7)]);

/**
 * Bytes the emulator serves for a corpus file_id, by Telegram's file_id prefix (AgAC photo, AwAC voice, BQAC document).
 */
function bytesFor(fileId: string): { data: Buffer; mimeType: string } {
  if (fileId.startsWith('AwAC')) return { data: Buffer.from('OggS\0\u0002contract-voice'), mimeType: 'audio/ogg' };
  if (fileId.startsWith('BQAC')) return { data: Buffer.from('%PDF-1.4\n% contract receipt\n'), mimeType: 'application/pdf' };
  return { data: PNG, mimeType: 'image/png' };
}

function metricValue(text: string, code: string): number {
  const line = text.split('\n').find((l) => l.startsWith('bridge_webhook_items_ignored_total{') && l.includes(`provider="telegram"`) && l.includes(`code="${code}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/**
 * Every Update of the contract corpus, posted to the real bridge api as Telegram would (with the secret
 * header), carried by the worker into the HubSpot sandbox: the right text, files and thread, or an
 * acknowledged ignore counted under its code.
 */
describe('Telegram contract: corpus Updates → bridge → HubSpot inbox', () => {
  let emulator: TelegramSandboxHandle;
  let bridge: TestBridge;
  let account: AccountWithCredentials;

  before(async () => {
    emulator = await startTelegramSandbox();
    const providerEndpoints = { settings: { telegram: { apiBaseUrl: emulator.url } } };
    bridge = await startTestBridge({ inbound: { providerEndpoints }, outbound: { providerEndpoints } });
    account = await connectAccount(bridge, 'telegram', { botToken: emulator.token, secretToken: SECRET });
    // The files the corpus names, held by the emulator as Telegram holds them, for getFile.
    for (const name of Object.keys(TELEGRAM_EXPECTATIONS)) {
      for (const file of fileObjectsOf(telegramContractUpdate(name))) {
        const { data, mimeType } = bytesFor(file.file_id);
        emulator.state.files.set(file.file_id, {
          fileId: file.file_id, fileUniqueId: file.file_unique_id, filePath: `contract/${file.file_unique_id}`, kind: 'document', data, mimeType, botId: emulator.bot.id,
        });
      }
    }
  });
  after(async () => {
    await bridge?.stop();
    await emulator?.close();
  });

  const post = (update: unknown) =>
    fetch(`${bridge.apiUrl}/webhooks/telegram/${account.accountId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
  const publishedAs = (workflowId: string) => [...bridge.sandboxState.messages.values()].find((m) => m.integrationIdempotencyId === workflowId);

  it('carries every Update as its expectation says, in order', async () => {
    const ignoredBefore = await (await fetch(`${bridge.apiUrl}/metrics`)).text();
    const ignoredCounts = new Map<string, number>();
    let repliesChecked = 0;
    for (const [name, expected] of Object.entries(TELEGRAM_EXPECTATIONS)) {
      const res = await post(telegramContractUpdate(name));
      assert.equal(res.status, 200, `${name}: ${await res.clone().text()}`);
      const { accepted } = (await res.json()) as { accepted: { workflowId: string }[] };
      if ('ignored' in expected) {
        assert.deepEqual(accepted, [], `${name} is acknowledged and carried nowhere`);
        ignoredCounts.set(expected.ignored, (ignoredCounts.get(expected.ignored) ?? 0) + 1);
        continue;
      }
      assert.equal(accepted.length, 1, name);
      const workflowId = accepted[0]!.workflowId;
      const message = await waitUntil(() => publishedAs(workflowId), `${name} in the HubSpot inbox`, 60_000);
      assert.equal(message.text, expected.text, name);
      const thread = bridge.sandboxState.threads.get(message.conversationsThreadId);
      assert.equal(thread?.integrationThreadId, `${account.accountId}:${expected.chat}`, `${name} is in its conversation's thread`);
      const files = message.attachments.filter((a) => a.fileId !== undefined);
      assert.equal(files.length, expected.media ?? 0, `${name}: files ${JSON.stringify(message.attachments)}`);
      for (const f of files) assert.ok(bridge.sandboxState.files.get(String(f.fileId))?.bytes.length, `${name}: the file's bytes reached HubSpot`);
      const shared = message.attachments.filter((a) => a.fileId === undefined).map((a) => a.type);
      assert.deepEqual(shared, [...(expected.location ? ['LOCATION'] : []), ...(expected.contact ? ['CONTACT'] : [])], name);
      if (expected.replyTo) {
        const target = publishedAs(`inbound:${account.accountId}:${expected.replyTo}`);
        if (target) {
          assert.equal(message.inReplyToId, target.id, `${name} replies to the message it quotes`);
          repliesChecked += 1;
        }
      }
    }
    assert.ok(repliesChecked > 0, 'at least one reply points at a message of the corpus');
    const ignoredAfter = await (await fetch(`${bridge.apiUrl}/metrics`)).text();
    for (const [code, count] of ignoredCounts) {
      assert.equal(metricValue(ignoredAfter, code) - metricValue(ignoredBefore, code), count, `bridge_webhook_items_ignored_total{code="${code}"}`);
    }
  });

  it('keeps groups, topics and Business chats in conversations of their own', () => {
    const threadIds = new Set([...bridge.sandboxState.threads.values()].map((t) => t.integrationThreadId));
    const chats = new Set(Object.values(TELEGRAM_EXPECTATIONS).flatMap((e) => ('chat' in e ? [`${account.accountId}:${e.chat}`] : [])));
    for (const chat of chats) assert.ok(threadIds.has(chat), `a thread for ${chat}`);
    assert.ok(chats.size >= 7, 'private, group, basic group, two topics, forum General and Business');
  });
});
