import { whenReachable } from '../when-reachable.js';
import type { TelegramSandboxState } from './state.js';
import { startDelivery } from './webhook-delivery.js';

/**
 * After a restored world is loaded: Telegram keeps the updates a webhook has not acknowledged (for up to 24 h) and
 * goes on pushing them, oldest first, so each bot with a webhook and a queue resumes once the webhook accepts
 * connections. A setWebhook or a new update starts it too, as before. Returns how many bots resume.
 */
export function resumeTelegramDeliveries(state: TelegramSandboxState): number {
  let resumed = 0;
  for (const bot of state.bots.values()) {
    if (!bot.webhook || bot.pending.length === 0) continue;
    whenReachable(
      () => bot.webhook?.url,
      () => void startDelivery(state, bot),
    );
    resumed += 1;
  }
  return resumed;
}
