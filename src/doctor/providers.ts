import type { Config } from '../config.js';
import { callTelegram } from '../providers/telegram/api.js';
import { telegramEndpoint } from '../providers/telegram/index.js';
import { SealedSecretError } from '../store/crypto.js';
import type { Account, Store } from '../store/types.js';
import { KEY_FIX } from './hubspot.js';
import type { Redactor } from './redact.js';
import { fail, messageOf, pass, warn, type CheckResult } from './types.js';
import { RECONNECT, whatsappChecks } from './whatsapp.js';

type AccountStore = Pick<Store, 'listAccounts' | 'getAccount' | 'findConnectionByAccount'>;
type Credentials = Readonly<Record<string, string>>;

/** What Telegram's getWebhookInfo answers (https://core.telegram.org/bots/api#getwebhookinfo), the fields read here. */
interface WebhookInfo {
  readonly url: string;
  readonly pending_update_count: number;
  readonly last_error_date?: number;
  readonly last_error_message?: string;
}

/**
 * Each connected account's provider points its webhook at the bridge. The URLs the bridge hands out are
 * `/webhooks/{provider}/{accountId}`, or `/webhooks/{provider}/conn_…` when set during the connection, before HubSpot
 * numbered the account (src/api/connect/webhook-alias.ts); both are right.
 */
export async function checkProviderWebhooks(config: Config, store: AccountStore, redactor: Redactor): Promise<CheckResult[]> {
  let accounts;
  try {
    accounts = await store.listAccounts();
  } catch (error) {
    return [fail('providers', 'connected accounts', `cannot list the connected accounts: ${messageOf(error)}`, 'check the store (above)')];
  }
  const results: CheckResult[] = [];
  for (const account of accounts.filter((a) => a.provider !== 'generic')) {
    const title = `${account.provider} account ${account.accountId} "${account.name}"`;
    const id = `provider.${account.provider}:${account.accountId}`;
    let credentials: Credentials;
    try {
      credentials = (await store.getAccount(account.accountId))?.credentials ?? {};
    } catch (error) {
      const cause = error instanceof SealedSecretError ? KEY_FIX : 'check the store (above)';
      results.push(fail(id, title, `cannot open the account's stored credentials: ${messageOf(error)}`, cause));
      continue;
    }
    redactor.add(...Object.values(credentials));
    const urls = await expectedUrls(config, store, account);
    results.push(...(account.provider === 'telegram' ? [await telegramCheck(config, id, title, credentials, urls)] : await whatsappChecks(config, { id, title, urls }, credentials)));
  }
  return results;
}

async function expectedUrls(config: Config, store: AccountStore, account: Account): Promise<string[]> {
  const base = `${config.api.publicUrl}/webhooks/${account.provider}`;
  const connection = await store.findConnectionByAccount(account.accountId).catch(() => undefined);
  return [`${base}/${account.accountId}`, ...(connection ? [`${base}/${connection.connectionId}`] : [])];
}

async function telegramCheck(config: Config, id: string, title: string, credentials: Credentials, urls: string[]): Promise<CheckResult> {
  if (!credentials.botToken) return fail(id, title, 'no bot token is stored for it', RECONNECT);
  let info: WebhookInfo;
  try {
    info = await callTelegram<WebhookInfo>(telegramEndpoint({ botToken: credentials.botToken, apiBaseUrl: config.providers.telegramApiBaseUrl }, { fetch: timedFetch }), 'getWebhookInfo');
  } catch (error) {
    return fail(id, title, `getWebhookInfo failed: ${messageOf(error)}`, /rejected the bot token/.test(messageOf(error)) ? `the bot token was revoked (@BotFather): ${RECONNECT} with the new token` : `check TELEGRAM_API_BASE_URL (${config.providers.telegramApiBaseUrl}) and that Telegram is reachable from here`);
  }
  if (!info.url) return fail(id, title, `the bot has no webhook: Telegram keeps its updates (${info.pending_update_count} waiting) and nothing reaches the bridge`, RECONNECT);
  if (!urls.includes(info.url)) {
    return fail(id, title, `the bot's webhook points at ${info.url}, not at ${urls[0]}: customers' messages go elsewhere`, `a bot has one webhook: stop whatever else set it (another deployment, a bot framework), then ${RECONNECT}`);
  }
  const recentError = info.last_error_date && Date.now() / 1000 - info.last_error_date < 3600 ? info.last_error_message : undefined;
  if (recentError && info.pending_update_count > 0) {
    return warn(id, title, `the webhook is ${info.url}, but Telegram's last delivery failed (${recentError}) and ${info.pending_update_count} updates wait`, `check that ${config.api.publicUrl} is reachable from the internet over HTTPS and that the api answers`);
  }
  return pass(id, title, `the bot's webhook is ${info.url}`);
}

const timedFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(10_000) });
