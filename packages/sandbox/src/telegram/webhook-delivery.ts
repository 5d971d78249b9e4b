import { nowSeconds, type SandboxBot, type TelegramSandboxState, type UpdateRecord } from './state.js';
import type { TgUpdate } from './wire.js';

/**
 * Pushes updates to the bot's webhook one at a time, oldest first, as Telegram does with
 * max_connections = 1: "In case of an unsuccessful request (a request with response HTTP status
 * code different from 2XY), we will repeat the request and give up after a reasonable amount of
 * attempts." https://core.telegram.org/bots/api#setwebhook
 */

function sleep(state: TelegramSandboxState, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      state.timers.delete(timer);
      resolve();
    }, ms);
    state.timers.add(timer);
  });
}

/** One POST of an update to the bot's webhook: undefined when it answered 2xx, else what went wrong. */
export async function post(
  state: TelegramSandboxState,
  bot: SandboxBot,
  update: TgUpdate,
): Promise<string | undefined> {
  const webhook = bot.webhook!;
  try {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(webhook.secretToken ? { 'x-telegram-bot-api-secret-token': webhook.secretToken } : {}),
      },
      body: JSON.stringify(update),
      signal: AbortSignal.timeout(state.retry.timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return undefined;
    return `Wrong response from the webhook: ${response.status} ${response.statusText}`.trim();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') return 'Connection refused';
    return `Connection failed: ${cause?.message ?? (error as Error).message}`;
  }
}

function recordOf(state: TelegramSandboxState, update: TgUpdate): UpdateRecord | undefined {
  return state.updates.find((r) => r.update.update_id === update.update_id);
}

async function pump(state: TelegramSandboxState, bot: SandboxBot): Promise<void> {
  if (bot.delivering) return;
  bot.delivering = true;
  try {
    while (bot.webhook && bot.pending.length > 0 && !state.disposed) {
      const update = bot.pending[0]!;
      const record = recordOf(state, update)!;
      record.attempts += 1;
      const error = await post(state, bot, update);
      // deleteWebhook or setWebhook may have dropped it while the request was in flight.
      if (bot.pending[0] !== update) continue;
      if (error === undefined) {
        record.state = 'delivered';
        bot.pending.shift();
        continue;
      }
      record.lastError = error;
      bot.lastErrorDate = nowSeconds();
      bot.lastErrorMessage = error;
      if (record.attempts >= state.retry.maxAttempts) {
        record.state = 'given-up';
        bot.pending.shift();
        continue;
      }
      await sleep(state, Math.min(state.retry.maxDelayMs, state.retry.baseDelayMs * 2 ** (record.attempts - 1)));
    }
  } finally {
    bot.delivering = false;
  }
}

/** Queues an update; with a webhook set it is pushed, otherwise it waits for getUpdates. */
export function enqueueUpdate(state: TelegramSandboxState, bot: SandboxBot, update: TgUpdate): void {
  const type = Object.keys(update).find((k) => k !== 'update_id') ?? '';
  const allowed = bot.webhook?.allowedUpdates;
  // Telegram never sends the types a bot left out of allowed_updates (empty means the defaults).
  if (allowed && allowed.length > 0 && !allowed.includes(type)) return;
  state.updates.push({ botId: bot.id, update, attempts: 0, state: 'pending' });
  bot.pending.push(update);
  for (const wake of state.listeners) wake();
  void startDelivery(state, bot);
}

export function startDelivery(state: TelegramSandboxState, bot: SandboxBot): Promise<void> {
  return bot.webhook ? pump(state, bot) : Promise.resolve();
}

/** Updates the webhook acknowledged, oldest first: what a storm replays. */
export function deliveredUpdates(state: TelegramSandboxState, bot: SandboxBot): TgUpdate[] {
  return state.updates.filter((r) => r.botId === bot.id && r.state === 'delivered').map((r) => r.update);
}

/** Forgets what was not delivered yet (deleteWebhook / setWebhook with drop_pending_updates). */
export function dropPending(state: TelegramSandboxState, bot: SandboxBot): void {
  for (const update of bot.pending.splice(0)) {
    const record = recordOf(state, update);
    if (record) record.state = 'dropped';
  }
}
