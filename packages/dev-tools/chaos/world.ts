import type { LocalSystem } from '../src/local/system.js';
import type { ProviderKind } from '../../bridge/src/domain/ids.js';

/** One customer chatting with the business through one provider account: the unit order is checked in. */
export interface Conversation {
  /** `c007`: short, so it fits in every message's marker. */
  readonly id: string;
  readonly provider: ProviderKind;
  readonly accountId: string;
  /** The provider's chat: Telegram user id, WhatsApp id, generic threadKey. */
  readonly chatId: string;
  /** `{accountId}:{chatId}`: the bridge's conversation key and the HubSpot thread's integrationThreadId. */
  readonly conversationKey: string;
}

/** What the scenarios need to reach every part. */
export interface World {
  readonly system: LocalSystem;
  readonly conversations: readonly Conversation[];
  readonly telegramBotId: number;
}

const PROVIDERS: readonly ProviderKind[] = ['telegram', 'whatsapp', 'generic'];

function chatIdFor(provider: ProviderKind, index: number): string {
  if (provider === 'telegram') return String(880_000_000 + index);
  if (provider === 'whatsapp') return `4477009${String(index).padStart(5, '0')}`;
  return `chaos-thread-${index}`;
}

/** `count` conversations, spread evenly over the three providers' demo accounts. */
export async function createWorld(system: LocalSystem, count: number): Promise<World> {
  const bots = (await (await fetch(`${system.urls.telegram}/_sandbox/telegram/bots`)).json()) as { id: number }[];
  const conversations = Array.from({ length: count }, (_, index): Conversation => {
    const provider = PROVIDERS[index % PROVIDERS.length]!;
    const accountId = system.account(provider).channelAccountId;
    const chatId = chatIdFor(provider, index);
    return {
      id: `c${String(index).padStart(3, '0')}`,
      provider,
      accountId,
      chatId,
      conversationKey: `${accountId}:${chatId}`,
    };
  });
  return { system, conversations, telegramBotId: bots[0]!.id };
}

/** `[chaos c007 i012]`: in every message's text, so the ledgers can be counted without the bridge's help. */
export const marker = (conversation: Conversation, direction: 'in' | 'out', seq: number) =>
  `[chaos ${conversation.id} ${direction === 'in' ? 'i' : 'o'}${String(seq).padStart(3, '0')}]`;

const MARKER = /\[chaos (c\d{3}) ([io])(\d{3})\]/;

export function parseMarker(
  text: string | undefined,
): { conversation: string; direction: 'in' | 'out'; seq: number } | undefined {
  const found = text ? MARKER.exec(text) : null;
  return found
    ? { conversation: found[1]!, direction: found[2] === 'i' ? 'in' : 'out', seq: Number(found[3]) }
    : undefined;
}
