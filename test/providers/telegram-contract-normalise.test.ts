import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { normaliseTelegramUpdate } from '../../packages/bridge/src/providers/telegram/normalise.js';
import { TELEGRAM_EXPECTATIONS } from '../contract/telegram-expectations.js';
import { TELEGRAM_CONTRACT_DIR, telegramContractNames, telegramContractUpdate } from '../helpers/telegram-contract.js';
import { assertValid, specMissing } from '../helpers/spec-schemas.js';
import { TELEGRAM_SPEC, telegramDef } from '../helpers/telegram-schemas.js';

const accountId = asAccountId('acct-c');
const normalise = (name: string) =>
  normaliseTelegramUpdate(
    accountId,
    { headers: {}, body: Buffer.from(JSON.stringify(telegramContractUpdate(name))) },
    new Date('2026-12-06T09:00:00Z'),
  );

describe('Telegram contract corpus, normalised', () => {
  it('holds at least 40 Updates, each with an expectation and a recorded source', () => {
    const names = telegramContractNames();
    assert.ok(names.length >= 40, `only ${names.length} Updates`);
    assert.deepEqual(names, Object.keys(TELEGRAM_EXPECTATIONS).sort());
    const sources = fs.readFileSync(path.join(TELEGRAM_CONTRACT_DIR, 'sources.md'), 'utf8');
    for (const name of names) assert.ok(sources.includes(`\`${name}\``), `sources.md does not name ${name}`);
  });

  it('is made of valid Bot API Updates', { skip: specMissing(TELEGRAM_SPEC) }, () => {
    for (const name of telegramContractNames()) assertValid(telegramDef('Update'), telegramContractUpdate(name), name);
  });

  for (const [name, expected] of Object.entries(TELEGRAM_EXPECTATIONS)) {
    it(`${name}: ${'ignored' in expected ? `ignored as ${expected.ignored}` : JSON.stringify(expected.text)}`, () => {
      const events = normalise(name);
      assert.equal(events.length, 1);
      const [event] = events;
      if ('ignored' in expected) {
        assert.equal(event?.kind, 'ignored', JSON.stringify(event));
        assert.equal(event.kind === 'ignored' && event.code, expected.ignored);
        return;
      }
      assert.equal(event?.kind, 'message', JSON.stringify(event));
      if (event?.kind !== 'message') return;
      const m = event.message;
      assert.equal(m.text, expected.text);
      assert.equal(m.providerChatId, expected.chat);
      assert.equal(m.conversationKey, `${accountId}:${expected.chat}`);
      assert.equal(m.media.length, expected.media ?? 0);
      assert.equal(m.location !== undefined, expected.location === true);
      assert.equal(m.contacts !== undefined, expected.contact === true);
      assert.equal(m.replyToProviderMessageId, expected.replyTo);
    });
  }
});
