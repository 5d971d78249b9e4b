import type { AccountId } from '../domain/ids.js';
import { trusting, type AddressPolicy, type HostLookup } from '../net/address-policy.js';
import { createGuardedFetch } from '../net/guarded-connect.js';
import type { AccountWithCredentials } from '../store/types.js';
import { createGenericAdapter } from './generic/index.js';
import { createTelegramAdapter } from './telegram/index.js';
import { DEFAULT_API_BASE_URL } from './telegram/api.js';
import type { HttpFetch, ProviderAdapter } from './types.js';
import { createWhatsAppAdapter, DEFAULT_GRAPH_BASE_URL, DEFAULT_TEMPLATE_LANGUAGE, TEMPLATE_LANGUAGE, TEMPLATE_NAME, type WhatsAppWindowPolicy } from './whatsapp/index.js';

/** Where each provider's API lives: the real services by default, the sandboxes locally and in tests. */
export interface ProviderEndpoints {
  readonly telegramApiBaseUrl?: string;
  readonly whatsappGraphBaseUrl?: string;
  /**
   * Hosts media may be fetched from although they are private (BRIDGE_ALLOW_PRIVATE_MEDIA_HOSTS: sandboxes only).
   * Without it every media URL, and every redirect, must resolve to public addresses; the configured API
   * origins above are trusted as they are.
   */
  readonly allowPrivateMediaHosts?: readonly string[];
  /** Resolves host names for the address checks. @default the system resolver (tests inject names) */
  readonly lookup?: HostLookup;
  /** WhatsApp replies once the 24-hour window has closed (WHATSAPP_WINDOW_*); an account's own settings win. @default fail */
  readonly whatsappWindow?: WhatsAppWindowPolicy;
}

/**
 * The window policy for one WhatsApp account: its stored `windowMode`, `windowTemplate` and `windowTemplateLanguage`
 * when it has them (an account connected for another brand or language), else the bridge's. Values that Meta could
 * never take are ignored rather than sent.
 */
function windowPolicyFor(account: AccountWithCredentials, fallback: WhatsAppWindowPolicy | undefined): WhatsAppWindowPolicy | undefined {
  const { windowMode, windowTemplate, windowTemplateLanguage } = account.credentials;
  if (windowMode === 'fail') return { mode: 'fail' };
  const name = windowTemplate && TEMPLATE_NAME.test(windowTemplate) ? windowTemplate : undefined;
  if (!name) return fallback;
  const language = windowTemplateLanguage && TEMPLATE_LANGUAGE.test(windowTemplateLanguage) ? windowTemplateLanguage : (fallback?.template?.language ?? DEFAULT_TEMPLATE_LANGUAGE);
  return { mode: 'template', template: { name, language } };
}

/** One guarded fetch per policy, so connections are pooled across activities instead of per call. */
const guardedFetches = new Map<string, HttpFetch>();
function guardedFetchFor(policy: AddressPolicy): HttpFetch {
  if (policy.lookup) return createGuardedFetch(policy);
  const key = JSON.stringify(policy);
  let fetch = guardedFetches.get(key);
  if (!fetch) guardedFetches.set(key, (fetch = createGuardedFetch(policy)));
  return fetch;
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
 * adding its folder and one case here. Without an injected `fetch`, every call the adapter makes is
 * checked against the address policy when it connects (src/net/guarded-connect.ts).
 */
export function adapterFor(account: AccountWithCredentials, endpoints: ProviderEndpoints = {}, fetch?: HttpFetch): ProviderAdapter {
  const accountId = account.accountId as AccountId;
  const mediaPolicy: AddressPolicy = { allowPrivateHosts: endpoints.allowPrivateMediaHosts, lookup: endpoints.lookup };
  const fetchTrusting = (baseUrl: string | undefined, fallback: string) => fetch ?? guardedFetchFor(trusting(mediaPolicy, baseUrl ?? fallback));
  switch (account.provider) {
    case 'generic':
      return createGenericAdapter(
        { accountId, signingSecret: credential(account, 'signingSecret'), callbackUrl: account.credentials.callbackUrl, mediaAuthHeader: account.credentials.mediaAuthHeader },
        { fetch: fetch ?? guardedFetchFor(mediaPolicy), allowPrivateHosts: endpoints.allowPrivateMediaHosts, lookup: endpoints.lookup },
      );
    case 'telegram':
      return createTelegramAdapter(
        { accountId, botToken: credential(account, 'botToken'), secretToken: credential(account, 'secretToken'), apiBaseUrl: endpoints.telegramApiBaseUrl },
        { fetch: fetchTrusting(endpoints.telegramApiBaseUrl, DEFAULT_API_BASE_URL), mediaPolicy },
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
          window: windowPolicyFor(account, endpoints.whatsappWindow),
        },
        { fetch: fetchTrusting(endpoints.whatsappGraphBaseUrl, DEFAULT_GRAPH_BASE_URL), mediaPolicy },
      );
  }
}
