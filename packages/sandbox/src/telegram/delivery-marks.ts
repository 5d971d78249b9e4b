import type { SandboxBot, TelegramSandboxState, UpdateRecord } from './state.js';
import type { TgMessage } from './wire.js';

/**
 * How far a message someone wrote got towards the bot, for the customer page's ticks: read from the update
 * records of webhook-delivery.ts, so ✓✓ means the bot's webhook (the bridge) answered 2xx, or getUpdates confirmed it.
 */
export interface DeliveryMark {
  /** queued: not pushed yet (✓); retrying: the webhook refused or was unreachable, tried again (✓ and the reason);
   * delivered: answered 2xx (✓✓); failed: given up, dropped, or never sent (a failure mark and the reason). */
  readonly state: 'queued' | 'retrying' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly reason?: string;
}

const keyOf = (m: Pick<TgMessage, 'chat' | 'message_id' | 'business_connection_id'>) =>
  `${m.chat.id}:${m.message_id}:${m.business_connection_id ?? ''}`;

function markOf(bot: SandboxBot, record: UpdateRecord): DeliveryMark {
  const { attempts, lastError } = record;
  switch (record.state) {
    case 'delivered':
      return { state: 'delivered', attempts };
    case 'given-up':
      return {
        state: 'failed',
        attempts,
        reason: `Not delivered: ${lastError ?? 'the webhook refused it'} (gave up after ${attempts} attempts)`,
      };
    case 'dropped':
      return {
        state: 'failed',
        attempts,
        reason: 'Not delivered: dropped when the bot deleted or replaced its webhook with drop_pending_updates',
      };
    case 'pending':
      if (lastError)
        return { state: 'retrying', attempts, reason: `Retrying (attempt ${attempts} failed): ${lastError}` };
      return {
        state: 'queued',
        attempts,
        ...(bot.webhook ? {} : { reason: 'Queued: the bot has no webhook; it waits for getUpdates' }),
      };
  }
}

/** A mark for each message of `messages` someone other than a bot wrote, keyed by message_id. */
export function deliveryMarks(
  state: TelegramSandboxState,
  bot: SandboxBot,
  messages: readonly TgMessage[],
): Record<number, DeliveryMark> {
  const records = new Map<string, UpdateRecord>();
  for (const record of state.updates) {
    const message = record.botId === bot.id ? (record.update.message ?? record.update.business_message) : undefined;
    if (message) records.set(keyOf(message), record);
  }
  const marks: Record<number, DeliveryMark> = {};
  for (const message of messages) {
    if (message.from.is_bot || message.sender_business_bot) continue;
    const record = records.get(keyOf(message));
    marks[message.message_id] = record
      ? markOf(bot, record)
      : {
          state: 'failed',
          attempts: 0,
          reason: "Not sent to the bot: its webhook's allowed_updates leave out this kind of update",
        };
  }
  return marks;
}
