import type { AccountId } from '../../domain/ids.js';
import type { AddressPolicy } from '../../net/address-policy.js';
import type { InboundMedia } from '../../domain/messages.js';
import type { HttpFetch, OutboundMessage, ProviderAdapter, RawWebhook } from '../types.js';
import { DEFAULT_API_BASE_URL, type TelegramEndpoint } from './api.js';
import { TELEGRAM_LIMITS } from './limits.js';
import { fetchTelegramMedia } from './media.js';
import { normaliseTelegramUpdate } from './normalise.js';
import { sendTelegramMessage } from './send.js';
import { verifyTelegramSecret } from './verify.js';

export { deleteWebhook, getMe, setWebhook, type WebhookSettings } from './bot-setup.js';
export { BLOCKED_REASON } from './errors.js';
export { TELEGRAM_LIMITS } from './limits.js';
export { HANDLED_UPDATE_TYPES, telegramMessageId } from './normalise.js';
export { formatTelegramChatRef, messageScope, parseTelegramChatRef, type TelegramChatRef } from './chat-ref.js';

export interface TelegramAdapterConfig {
  readonly accountId: AccountId;
  /** `<bot_id>:<secret>` from @BotFather. Only ever placed in request paths, never logged. */
  readonly botToken: string;
  /** The `secret_token` given to setWebhook; Telegram echoes it on every update. */
  readonly secretToken: string;
  /** @default 'https://api.telegram.org' : the sandbox's URL in tests and local runs. */
  readonly apiBaseUrl?: string;
}

export const TELEGRAM_CAPABILITIES = {
  mediaKinds: ['image', 'audio', 'voice', 'video', 'sticker', 'file'],
  // Bots get no delivered/read receipts: a successful send is SENT, an error FAILED.
  receipts: false,
  maxInboundMediaBytes: TELEGRAM_LIMITS.downloadBytes,
  maxOutboundMediaBytes: TELEGRAM_LIMITS.uploadBytes,
  textFormat: 'telegram-html',
} as const;

export interface TelegramAdapterDeps {
  readonly fetch: HttpFetch;
  /** Where a file download may be redirected besides public addresses (sandboxes only); the API origin is trusted. */
  readonly mediaPolicy?: AddressPolicy;
}

/** One Telegram bot, connected as one channel account. */
export function createTelegramAdapter(config: TelegramAdapterConfig, deps: TelegramAdapterDeps) {
  const endpoint: TelegramEndpoint = {
    apiBaseUrl: config.apiBaseUrl ?? DEFAULT_API_BASE_URL,
    botToken: config.botToken,
    fetch: deps.fetch,
    mediaPolicy: deps.mediaPolicy,
  };
  return {
    provider: 'telegram',
    capabilities: TELEGRAM_CAPABILITIES,
    verify: (webhook: RawWebhook) => verifyTelegramSecret(config.secretToken, webhook),
    normalise: (webhook: RawWebhook) => normaliseTelegramUpdate(config.accountId, webhook),
    send: (message: OutboundMessage) => sendTelegramMessage(endpoint, message),
    fetchMedia: (media: InboundMedia) => fetchTelegramMedia(endpoint, media),
  } satisfies ProviderAdapter;
}

/** The endpoint for the connection-flow helpers (getMe, setWebhook) with the same config. */
export function telegramEndpoint(
  config: Pick<TelegramAdapterConfig, 'botToken' | 'apiBaseUrl'>,
  deps: { readonly fetch: HttpFetch },
): TelegramEndpoint {
  return { apiBaseUrl: config.apiBaseUrl ?? DEFAULT_API_BASE_URL, botToken: config.botToken, fetch: deps.fetch };
}
