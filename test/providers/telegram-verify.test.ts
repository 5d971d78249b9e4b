import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { createTelegramAdapter } from '../../packages/bridge/src/providers/telegram/index.js';

const adapter = createTelegramAdapter(
  { accountId: asAccountId('acct-1'), botToken: '123:abc', secretToken: 'hook_Secret-42' },
  { fetch: () => Promise.reject(new Error('verify must not call the network')) },
);
const withHeader = (value: string | string[] | undefined) => ({
  headers: { 'x-telegram-bot-api-secret-token': value },
  body: Buffer.from('{}'),
});

describe('Telegram webhook verification', () => {
  it('accepts an update carrying the configured secret token', () => {
    assert.deepEqual(adapter.verify(withHeader('hook_Secret-42')), { ok: true });
    assert.deepEqual(adapter.verify(withHeader(['hook_Secret-42'])), { ok: true });
  });

  it('rejects a Telegram update with a wrong secret token', () => {
    for (const wrong of ['hook_Secret-43', 'hook_Secret-4', 'hook_Secret-42 ', 'HOOK_SECRET-42']) {
      assert.deepEqual(adapter.verify(withHeader(wrong)), {
        ok: false,
        reason: 'X-Telegram-Bot-Api-Secret-Token does not match the webhook secret',
      });
    }
  });

  it('rejects an update with no secret header at all', () => {
    assert.deepEqual(adapter.verify(withHeader(undefined)), {
      ok: false,
      reason: 'missing X-Telegram-Bot-Api-Secret-Token header',
    });
    assert.deepEqual(adapter.verify(withHeader('')), {
      ok: false,
      reason: 'missing X-Telegram-Bot-Api-Secret-Token header',
    });
  });

  it('declares what Telegram carries: every media kind, no receipts, 20 MB down, 10 MB photos up', () => {
    assert.deepEqual([...adapter.capabilities.mediaKinds].sort(), [
      'audio',
      'file',
      'image',
      'sticker',
      'video',
      'voice',
    ]);
    assert.equal(adapter.capabilities.receipts, false);
    assert.equal(adapter.capabilities.maxInboundMediaBytes, 20 * 1024 * 1024);
    assert.equal(adapter.capabilities.maxOutboundMediaBytes.image, 10 * 1024 * 1024);
    assert.equal(adapter.capabilities.textFormat, 'telegram-html');
  });
});
