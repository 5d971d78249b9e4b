import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import type { AccountWithCredentials, Store } from '../../packages/bridge/src/store/types.js';
import { tempStore } from './bridge.js';
import { startTelegramSandbox, type TelegramSandboxHandle } from './telegram-sandbox.js';

/** The account the reply-part tests deliver through: `acct-tg`, portal 1, channel 2. */
export const REPLY_ACCOUNT_ID = 'acct-tg';

/** The Telegram account replies are delivered through in the activity tests, with this bot token. */
export const telegramReplyAccount = (botToken: string): AccountWithCredentials => ({
  accountId: asAccountId(REPLY_ACCOUNT_ID),
  portalId: '1',
  channelId: '2',
  provider: 'telegram',
  name: 'Bot',
  deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bot' },
  authorized: true,
  credentials: { botToken, secretToken: 'secret' },
});

export interface TelegramReplyWorld {
  readonly emulator: TelegramSandboxHandle;
  readonly store: Store;
  /** The chat of a customer who wrote "hello" to the bot. */
  readonly chatId: string;
  /** What the customer received with this text. */
  received(text: string): TelegramSandboxHandle['state']['sent'];
  close(): Promise<void>;
}

/**
 * A Telegram emulator with one customer chat, and a temporary store with its bot connected as REPLY_ACCOUNT_ID: what
 * the activity tests of a reply's parts deliver to.
 */
export async function telegramReplyWorld(): Promise<TelegramReplyWorld> {
  const emulator = await startTelegramSandbox();
  const { store } = tempStore();
  await store.upsertAccount(telegramReplyAccount(emulator.token));
  const res = await emulator.control(`/bots/${emulator.bot.id}/messages`, { text: 'hello' });
  const chatId = String(
    ((await res.json()) as { update: { message: { chat: { id: number } } } }).update.message.chat.id,
  );
  return {
    emulator,
    store,
    chatId,
    received: (text) => emulator.state.sent.filter((s) => s.method === 'sendMessage' && s.message.text === text),
    async close() {
      await store.close();
      await emulator.close();
    },
  };
}
