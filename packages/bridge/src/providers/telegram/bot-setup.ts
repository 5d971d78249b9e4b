import { ProviderError } from '../types.js';
import { callTelegram, type TelegramEndpoint } from './api.js';
import { HANDLED_UPDATE_TYPES } from './normalise.js';
import { SECRET_TOKEN_PATTERN } from './verify.js';
import type { TelegramUser } from './wire-types.js';

/**
 * For the connection flow: check a bot token (getMe) and point the bot's webhook at the bridge
 * (setWebhook). Not part of the per-message adapter.
 */

/** Returns the bot behind the token; a bad token fails non-retryably with Telegram's 401. */
export function getMe(endpoint: TelegramEndpoint): Promise<TelegramUser> {
  return callTelegram<TelegramUser>(endpoint, 'getMe');
}

export interface WebhookSettings {
  /** The bridge's public HTTPS URL for this account's updates. */
  readonly url: string;
  /** Echoed by Telegram in X-Telegram-Bot-Api-Secret-Token; 1-256 of `A-Z a-z 0-9 _ -`. */
  readonly secretToken: string;
  /** @default HANDLED_UPDATE_TYPES: what normalise carries or reports, Business updates and edits included. */
  readonly allowedUpdates?: readonly string[];
  /** @default 40 (Telegram's own default). Updates of one chat may then arrive concurrently. */
  readonly maxConnections?: number;
  readonly dropPendingUpdates?: boolean;
}

export async function setWebhook(endpoint: TelegramEndpoint, settings: WebhookSettings): Promise<void> {
  if (!SECRET_TOKEN_PATTERN.test(settings.secretToken)) {
    throw new ProviderError('the webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -', {
      retryable: false,
    });
  }
  await callTelegram<boolean>(endpoint, 'setWebhook', {
    url: settings.url,
    secret_token: settings.secretToken,
    allowed_updates: settings.allowedUpdates ?? [...HANDLED_UPDATE_TYPES],
    ...(settings.maxConnections !== undefined ? { max_connections: settings.maxConnections } : {}),
    ...(settings.dropPendingUpdates !== undefined ? { drop_pending_updates: settings.dropPendingUpdates } : {}),
  });
}

export function deleteWebhook(endpoint: TelegramEndpoint): Promise<boolean> {
  return callTelegram<boolean>(endpoint, 'deleteWebhook');
}

/** The part of getWebhookInfo (https://core.telegram.org/bots/api#getwebhookinfo) that says where updates go. */
export interface WebhookTarget {
  /** Empty when no webhook is set. */
  readonly url: string;
}

export function getWebhookInfo(endpoint: TelegramEndpoint): Promise<WebhookTarget> {
  return callTelegram<WebhookTarget>(endpoint, 'getWebhookInfo');
}

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return 'an unparsable URL';
  }
};

/** What deleteOwnWebhook found: only `deleted` changed anything. */
export type OwnWebhookOutcome = 'deleted' | 'not-set' | { readonly pointsElsewhere: string };

/**
 * Deletes the bot's webhook only while it points at a URL `isOwn` accepts: a bot whose webhook was since set by
 * another account (or anything else) keeps it. Telegram has no conditional delete, so a setWebhook landing between
 * the read and the delete would still be lost; callers hold the bot's claim meanwhile, so this bridge cannot be the
 * one to set it. `pointsElsewhere` is the other URL's origin only: some services put a secret in the path.
 */
export async function deleteOwnWebhook(
  endpoint: TelegramEndpoint,
  isOwn: (url: string) => boolean,
): Promise<OwnWebhookOutcome> {
  const { url } = await getWebhookInfo(endpoint);
  if (!url) return 'not-set';
  if (!isOwn(url)) return { pointsElsewhere: originOf(url) };
  await deleteWebhook(endpoint);
  return 'deleted';
}
