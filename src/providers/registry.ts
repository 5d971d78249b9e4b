import type { AccountId } from '../domain/ids.js';
import type { AccountWithCredentials } from '../store/types.js';
import { createGenericAdapter } from './generic/index.js';
import { createTelegramAdapter } from './telegram/index.js';
import type { HttpFetch, ProviderAdapter } from './types.js';
import { createWhatsAppAdapter } from './whatsapp/index.js';

/** Where each provider's API lives: the real services by default, the sandboxes locally and in tests. */
export interface ProviderEndpoints {
  readonly telegramApiBaseUrl?: string;
  readonly whatsappGraphBaseUrl?: string;
  /** Hosts the generic adapter may fetch media from although they are private (sandboxes only). */
  readonly allowPrivateMediaHosts?: readonly string[];
}

/** Thrown when a stored account lacks a credential its provider needs; the message names it. */
export class MissingCredentialError extends Error {
  constructor(readonly accountId: string, readonly credential: string) {
    super(`account ${accountId} has no ${credential} stored; reconnect it`);
    this.name = 'MissingCredentialError';
  }
}

function credential(account: AccountWithCredentials, name: string): string {
  const value = account.credentials[name];
  if (!value) throw new MissingCredentialError(account.accountId, name);
  return value;
}

/**
 * The one place that turns a stored account into its provider's adapter. Adding a provider means
 * adding its folder and one case here.
 */
export function adapterFor(account: AccountWithCredentials, endpoints: ProviderEndpoints = {}, fetch: HttpFetch = globalThis.fetch): ProviderAdapter {
  const accountId = account.accountId as AccountId;
  switch (account.provider) {
    case 'generic':
      return createGenericAdapter(
        { accountId, signingSecret: credential(account, 'signingSecret'), callbackUrl: account.credentials.callbackUrl, mediaAuthHeader: account.credentials.mediaAuthHeader },
        { fetch, allowPrivateHosts: endpoints.allowPrivateMediaHosts },
      );
    case 'telegram':
      return createTelegramAdapter(
        { accountId, botToken: credential(account, 'botToken'), secretToken: credential(account, 'secretToken'), apiBaseUrl: endpoints.telegramApiBaseUrl },
        { fetch },
      );
    case 'whatsapp':
      return createWhatsAppAdapter(
        {
          accountId,
          phoneNumberId: credential(account, 'phoneNumberId'),
          accessToken: credential(account, 'accessToken'),
          appSecret: credential(account, 'appSecret'),
          verifyToken: credential(account, 'verifyToken'),
          graphBaseUrl: endpoints.whatsappGraphBaseUrl,
        },
        { fetch },
      );
  }
}
