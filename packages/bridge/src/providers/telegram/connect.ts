import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ConnectSpec } from '../module.js';
import type { TelegramEndpoint } from './api.js';
import { deleteOwnWebhook, getMe, setWebhook } from './bot-setup.js';
import type { TelegramSettings } from './settings.js';

/** A Telegram bot, by its id: also the part of its token before the colon (`<bot id>:<secret>`, @BotFather). */
export const telegramBotIdentity = (botId: number | string) => `telegram:bot:${botId}`;

/** The claim identity of stored credentials: the bot id is the public part of the token. */
export function telegramIdentityOf(credentials: Readonly<Record<string, string>>): string | undefined {
  const botId = /^(\d+):/.exec(credentials.botToken ?? '')?.[1];
  return botId ? telegramBotIdentity(botId) : undefined;
}

const form = z.object({
  botToken: z
    .string({ required_error: 'The bot token is required (from @BotFather, /token).' })
    .trim()
    .regex(
      /^\d+:[A-Za-z0-9_-]+$/,
      'This is not a Telegram bot token. It looks like 123456789:AAH… and comes from @BotFather (/token).',
    ),
});

/** The bot token is checked with getMe, the bot claimed, and only then its webhook set (with a fresh secret token). */
export const telegramConnect: ConnectSpec<TelegramSettings, typeof form> = {
  choice: 'Telegram',
  legend: 'Telegram bot',
  fieldsHtml: `<p class="hint">Customers write to the bot; the bridge sets the bot's webhook itself.</p>
<label>Bot token (from @BotFather) <input type="password" name="botToken" autocomplete="off" required placeholder="123456789:AA…"></label>
<button type="submit">Connect Telegram bot</button>`,
  form,
  async setup({ botToken }, ctx) {
    const endpoint: TelegramEndpoint = { apiBaseUrl: ctx.settings.apiBaseUrl, botToken, fetch: ctx.fetch };
    let bot;
    try {
      bot = await getMe(endpoint);
    } catch (error) {
      throw ctx.providerError(
        'The bot token',
        error,
        'Copy the token again from @BotFather (/token); it may have been revoked.',
      );
    }
    const handle = bot.username ? `@${bot.username}` : `bot ${bot.id}`;
    const accountName = `Telegram ${handle}`;
    const deliveryIdentifier = { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `telegram:${bot.id}` } as const;
    // Before setWebhook: a bot another account holds keeps its webhook.
    await ctx.claim({
      identity: telegramBotIdentity(bot.id),
      deliveryIdentifier,
      name: accountName,
      what: `The bot ${handle}`,
    });
    const url = ctx.webhookUrl;
    const secretToken = randomBytes(32).toString('base64url');
    try {
      await setWebhook(endpoint, { url, secretToken });
    } catch (error) {
      await ctx.release();
      throw ctx.providerError(
        "Setting the bot's webhook",
        error,
        `Telegram must be able to reach ${ctx.publicUrl} over HTTPS (BRIDGE_PUBLIC_URL).`,
      );
    }
    return {
      accountName,
      deliveryIdentifier,
      credentials: { botToken, secretToken },
      shown: [{ label: 'Bot', value: handle }],
      async undo() {
        // Only while it still points at this connection: once the claim is released, another popup may have taken the
        // bot.
        await deleteOwnWebhook(endpoint, (current) => current === url).catch((error: Error) =>
          ctx.warn({ reason: error.message }, 'could not remove the webhook of a connection given up'),
        );
        await ctx.release();
      },
    };
  },
};
