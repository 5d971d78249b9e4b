import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { setWebhook, telegramEndpoint } from '../../packages/bridge/src/providers/telegram/index.js';
import {
  HANDLED_UPDATE_TYPES,
  normaliseTelegramUpdate,
} from '../../packages/bridge/src/providers/telegram/normalise.js';
import { telegramContractNames, telegramContractUpdate } from '../helpers/telegram-contract.js';
import { startTelegramSandbox, type TelegramSandboxHandle } from '../helpers/telegram-sandbox.js';

describe('setWebhook allowed_updates', () => {
  let sandbox: TelegramSandboxHandle;
  before(async () => {
    sandbox = await startTelegramSandbox();
  });
  after(() => sandbox.close());

  it('asks Telegram for exactly the update types the bridge handles, Business updates and edits included', async () => {
    await setWebhook(telegramEndpoint({ botToken: sandbox.token, apiBaseUrl: sandbox.url }, { fetch }), {
      url: 'https://bridge.example/webhooks/telegram/1',
      secretToken: 'setup_secret',
    });
    const call = sandbox.state.calls.find((c) => c.method === 'setWebhook');
    assert.deepEqual(call?.params.allowed_updates, [
      'message',
      'edited_message',
      'business_connection',
      'business_message',
      'edited_business_message',
      'deleted_business_messages',
      'my_chat_member',
      'poll_answer',
    ]);
  });

  it('handles each listed type (the contract corpus has one of each, none refused as an unknown type)', () => {
    const typeOf = (update: Record<string, unknown>) => Object.keys(update).find((k) => k !== 'update_id')!;
    for (const type of HANDLED_UPDATE_TYPES) {
      const names = telegramContractNames().filter((name) => typeOf(telegramContractUpdate(name)) === type);
      assert.ok(names.length > 0, `the corpus has a ${type}`);
      for (const name of names) {
        const [event] = normaliseTelegramUpdate(asAccountId('a'), {
          headers: {},
          body: Buffer.from(JSON.stringify(telegramContractUpdate(name))),
        });
        assert.ok(
          !(event?.kind === 'ignored' && event.code === 'update-type'),
          `${name} is handled, not an unknown type`,
        );
      }
    }
  });
});
