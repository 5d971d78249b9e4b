import type { AccountWithCredentials } from './accounts-store.js';
import type { Store } from './types.js';

/** How long a worker may go on using an account another process has changed (turned off, reconnected). */
export const ACCOUNT_CACHE_TTL_MS = 3000;

export interface AccountCacheOptions {
  /** How long a read account is reused. @default ACCOUNT_CACHE_TTL_MS */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/** The store's writes that change an account row: each drops what this process cached. */
const ACCOUNT_WRITES = [
  'upsertAccount',
  'commitConnection',
  'updateAccountState',
  'deleteAccount',
  'resealSecrets',
] as const;

/**
 * The store with `getAccount` (the row plus its decrypted credentials) remembered for a few seconds, so the steps of
 * one message read and decrypt the account once instead of at every activity. Every account write made through this
 * store (connect, edit, turn on or off, remove, re-seal) drops the cache at once. Writes made by another process (the
 * api, another worker) are seen when the entry expires: `ttlMs` bounds how stale an account can be here. Only found,
 * turned-on accounts are kept: a just-connected account is never hidden behind a remembered miss, and a held reply
 * that re-reads its account when told the account is back on (maybe on another worker) always reads it afresh.
 */
export function withAccountCache(store: Store, options: AccountCacheOptions = {}): Store {
  const ttlMs = options.ttlMs ?? ACCOUNT_CACHE_TTL_MS;
  const now = options.now ?? Date.now;
  const held = new Map<
    string,
    { readonly until: number; readonly account: Promise<AccountWithCredentials | undefined> }
  >();

  const getAccount = (accountId: string): Promise<AccountWithCredentials | undefined> => {
    const entry = held.get(accountId);
    if (entry && entry.until > now()) return entry.account;
    // Concurrent readers share the one read in flight; a miss, a turned-off account or a failure is not kept.
    const account = store.getAccount(accountId);
    const forget = () => held.get(accountId)?.account === account && held.delete(accountId);
    held.set(accountId, { until: now() + ttlMs, account });
    account.then((found) => found?.authorized !== true && forget(), forget);
    return account;
  };

  const overrides: Partial<Store> = { getAccount };
  for (const name of ACCOUNT_WRITES) {
    const write = store[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (typeof write !== 'function') continue; // a partial test double
    // Dropped before and after: a read that starts during the write must not outlive it with the old row.
    (overrides as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      held.clear();
      try {
        return await write.apply(store, args);
      } finally {
        held.clear();
      }
    };
  }
  // A proxy rather than a spread, so a store whose methods live on a prototype (a test double) keeps them.
  return new Proxy(store, {
    get(target, key, receiver) {
      if (typeof key === 'string' && key in overrides) return (overrides as Record<string, unknown>)[key];
      return Reflect.get(target, key, receiver);
    },
  });
}
