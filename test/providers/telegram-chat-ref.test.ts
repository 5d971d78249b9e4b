import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatTelegramChatRef,
  messageScope,
  parseTelegramChatRef,
} from '../../packages/bridge/src/providers/telegram/chat-ref.js';

describe('Telegram conversation refs', () => {
  const refs = [
    { chatId: '7113042871' },
    { chatId: '-1002178345690' },
    { chatId: '-1002291004455', messageThreadId: 55 },
    { chatId: '5530917264', businessConnectionId: 'hX3kQ9aZr2MAAAAwE7nZp1Yz0cU' },
    // [INFERRED] connection ids are opaque strings: one with a colon still parses back.
    { chatId: '5530917264', businessConnectionId: 'odd:id' },
  ];
  for (const ref of refs) {
    it(`reads back ${formatTelegramChatRef(ref)}`, () =>
      assert.deepEqual(parseTelegramChatRef(formatTelegramChatRef(ref)), ref));
  }

  it('keeps a plain chat a bare number, so conversations from before topics keep their key', () => {
    assert.equal(formatTelegramChatRef({ chatId: '7113042871' }), '7113042871');
  });

  it('scopes message ids by chat, except in a Business chat, which numbers its own', () => {
    assert.equal(messageScope({ chatId: '-100', messageThreadId: 5 }), '-100');
    assert.equal(messageScope({ chatId: '42', businessConnectionId: 'bc' }), 'business:bc:42');
  });
});
