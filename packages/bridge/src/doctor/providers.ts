import type { Config } from '../config.js';
import { findModule, settingsFor } from '../providers/registry.js';
import type { ProviderCheck } from '../providers/module.js';
import { SealedSecretError } from '../store/crypto.js';
import type { Account, Store } from '../store/types.js';
import { KEY_FIX } from './hubspot.js';
import type { Redactor } from './redact.js';
import { fail, messageOf, type CheckResult } from './types.js';

type AccountStore = Pick<Store, 'listAccounts' | 'getAccount' | 'findConnectionByAccount'>;
type Credentials = Readonly<Record<string, string>>;

/**
 * Each connected account's provider points its webhook at the bridge, as far as its module can check (`doctor`);
 * providers without such a check get no line. The URLs the bridge hands out are `/webhooks/{provider}/{accountId}`, or
 * `/webhooks/{provider}/conn_…` when set during the connection, before HubSpot numbered the account
 * (src/api/connect/webhook-alias.ts); both are right.
 */
export async function checkProviderWebhooks(
  config: Config,
  store: AccountStore,
  redactor: Redactor,
): Promise<CheckResult[]> {
  let accounts;
  try {
    accounts = await store.listAccounts();
  } catch (error) {
    return [
      fail(
        'providers',
        'connected accounts',
        `cannot list the connected accounts: ${messageOf(error)}`,
        'check the store (above)',
      ),
    ];
  }
  const results: CheckResult[] = [];
  for (const account of accounts) {
    const doctor = findModule(account.provider)?.doctor;
    if (!doctor) continue;
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
    const expectedUrls = await expectedUrlsOf(config, store, account);
    const settings = settingsFor(account.provider, config.providers.settings);
    const checks = await doctor({
      accountId: account.accountId,
      credentials,
      settings,
      expectedUrls,
      publicUrl: config.api.publicUrl,
      fetch: timedFetch,
    });
    results.push(...checks.map((check) => resultOf(id, title, check)));
  }
  return results;
}

function resultOf(id: string, title: string, check: ProviderCheck): CheckResult {
  return {
    id: `${id}${check.idSuffix}`,
    title: `${title}${check.titleSuffix}`,
    status: check.status,
    detail: check.detail,
    ...(check.fix ? { fix: check.fix } : {}),
  };
}

async function expectedUrlsOf(config: Config, store: AccountStore, account: Account): Promise<string[]> {
  const base = `${config.api.publicUrl}/webhooks/${account.provider}`;
  const connection = await store.findConnectionByAccount(account.accountId).catch(() => undefined);
  return [`${base}/${account.accountId}`, ...(connection ? [`${base}/${connection.connectionId}`] : [])];
}

const timedFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(10_000) });
