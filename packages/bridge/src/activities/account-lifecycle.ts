import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { AccountId } from '../domain/ids.js';
import { accountStateChanged, MessageStatus, type AccountStateChange } from '../domain/signals.js';
import type { AccountLookup, ChannelAccount, ChannelAccountsClient } from '../hubspot/channel-accounts.js';
import { findModule, settingsFor, type ProviderEndpoints } from '../providers/registry.js';
import type { Store } from '../store/types.js';
import { toActivityFailure } from './hubspot-errors.js';

export interface AccountActivityDeps {
  readonly store: Store;
  /** Re-reads accounts from HubSpot; without it CHANNEL_ACCOUNT_* events cannot be followed. */
  readonly channelAccounts?: ChannelAccountsClient;
  readonly providerEndpoints?: ProviderEndpoints;
  /**
   * The bridge's public base URL (BRIDGE_PUBLIC_URL): with it, a provider webhook counts as this account's only at
   * exactly its URLs; without it, at a URL whose path is one of them (ids are unique within the bridge).
   */
  readonly publicUrl?: string;
}

/**
 * Whether a webhook URL is one of an account's own: `/webhooks/{provider}/{accountId}` (accounts from configuration)
 * or `/webhooks/{provider}/{connectionId}` (the connection page sets that one, see src/api/connect/webhook-alias.ts).
 */
export function isOwnWebhookUrl(url: string, provider: string, ids: readonly string[], publicUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const base = publicUrl?.replace(/\/+$/, '');
  return ids.some((id) => {
    const path = `/webhooks/${provider}/${id}`;
    return base
      ? `${parsed.origin}${parsed.pathname}` === `${base}${path}`
      : parsed.pathname === path || parsed.pathname.endsWith(path);
  });
}

/** What the bridge made of HubSpot's current view of an account. Ids and flags only: no secrets. */
export interface AccountSync {
  readonly accountId: string;
  readonly outcome: 'connected' | 'updated' | 'removed' | 'unknown';
  readonly authorized: boolean;
  readonly inboxId?: string;
}

/** Only HubSpot's own word removes an account: a PURGED event, or the documented archived read. */
const PURGED = 'CHANNEL_ACCOUNT_PURGED';

async function lookUp(deps: AccountActivityDeps, portalId: string, accountId: string): Promise<AccountLookup> {
  if (!deps.channelAccounts)
    throw ApplicationFailure.nonRetryable('the worker has no HubSpot channel-accounts client', 'NotConfigured');
  try {
    return await deps.channelAccounts.lookUpAccount(portalId, accountId);
  } catch (error) {
    throw toActivityFailure(error);
  }
}

/**
 * On for the bridge only when HubSpot says both: `authorized` (the admin's switch) and `active` ("turned on").
 * [INFERRED] that an inactive account must hold messages like an unauthorized one.
 */
const turnedOn = (account: ChannelAccount) => account.authorized && account.active !== false;

export function createAccountActivities(deps: AccountActivityDeps) {
  const { store } = deps;
  return {
    /**
     * Follows HubSpot's own record of the account (GET without `archived`, then `archived=true` on a 404), never the
     * event's payload fields: links a pending connection when the account is new, and records on/off, name and inbox
     * (help desk moves). 'removed' only on an archived read or a PURGED event; a 404 to both reads otherwise is
     * ambiguous (another portal, a token that cannot see it) and keeps the credentials ('unknown', logged).
     * `eventType` is optional so workflow histories recorded before it keep replaying.
     */
    async syncChannelAccount(portalId: string, accountId: string, eventType?: string): Promise<AccountSync> {
      const found = await lookUp(deps, portalId, accountId);
      if (found.state === 'not-found') {
        if (eventType === PURGED) return { accountId, outcome: 'removed', authorized: false };
        log.warn('channel account not found, live or archived; credentials kept', { accountId, portalId, eventType });
        return { accountId, outcome: 'unknown', authorized: false };
      }
      const remote = found.account;
      if (found.state === 'archived' || remote.archived) return { accountId, outcome: 'removed', authorized: false };
      const state = { authorized: turnedOn(remote), name: remote.name, inboxId: String(remote.inboxId) };
      if (await store.getAccount(accountId)) {
        await store.updateAccountState(accountId, state);
        return { accountId, outcome: 'updated', ...state };
      }
      const pending =
        remote.deliveryIdentifier && (await store.findPendingConnection(portalId, remote.deliveryIdentifier.value));
      if (!pending) {
        log.warn('channel account has no pending connection in this bridge; ignored', { accountId, portalId });
        return { accountId, outcome: 'unknown', authorized: turnedOn(remote) };
      }
      await store.commitConnection(pending.connectionId, {
        accountId: accountId as AccountId,
        portalId,
        channelId: String(remote.channelId),
        ...state,
      });
      log.info('channel account connected', {
        accountId,
        portalId,
        connectionId: pending.connectionId,
        provider: pending.provider,
      });
      return { accountId, outcome: 'connected', ...state };
    },

    /**
     * Lets the provider undo what connecting set up there (its module's `disconnect`: a webhook the bridge set, only
     * while it still points at this account), then deletes the stored credentials, which releases the account's claim
     * on its provider account. Providers whose webhooks the admin set outside the bridge have no `disconnect`.
     */
    async purgeChannelAccount(accountId: string): Promise<void> {
      const account = await store.getAccount(accountId);
      if (!account) return;
      const module = findModule(account.provider);
      if (module?.disconnect) {
        const connection = await store.findConnectionByAccount(accountId);
        const ownIds = [accountId, ...(connection ? [connection.connectionId] : [])];
        await module
          .disconnect({
            accountId,
            credentials: account.credentials,
            settings: settingsFor(account.provider, deps.providerEndpoints?.settings),
            fetch,
            isOwnWebhookUrl: (url) => isOwnWebhookUrl(url, account.provider, ownIds, deps.publicUrl),
            log,
          })
          .catch((error: Error) =>
            log.warn('the provider could not undo its setup; removing the credentials anyway', {
              accountId,
              reason: error.message,
            }),
          );
      }
      await store.deleteAccount(accountId);
    },

    /**
     * Signals every message workflow held for this account (`BridgeAccountId` and `BridgeStatus = HELD`), then looks
     * again: a message that read the account just before the change goes HELD after the first listing (or, woken by it,
     * reads the old state once more), and would otherwise wait for its five-minute recheck (seen in the deploy chaos
     * test, for a reply). A message signalled twice reads the account twice; nothing more.
     */
    async signalHeldMessages(accountId: string, change: AccountStateChange): Promise<number> {
      const first = await signalEachHeld(accountId, change);
      await Context.current().sleep(HELD_LOOK_AGAIN_AFTER_MS);
      return first + (await signalEachHeld(accountId, change));
    },
  };
}

/**
 * When the held messages are listed again: time for a message that read the account just before the change to go
 * HELD and show in visibility, which takes milliseconds on an idle worker. [INFERRED] 5 s also covers a busy worker,
 * Elasticsearch's one-second refresh, and a worker's account cache (ACCOUNT_CACHE_TTL_MS; it keeps only turned-on
 * accounts, so a message sees the account turned off at most that late).
 */
export const HELD_LOOK_AGAIN_AFTER_MS = 5_000;

async function signalEachHeld(accountId: string, change: AccountStateChange): Promise<number> {
  const client = Context.current().client;
  const query = `BridgeAccountId = "${accountId.replace(/"/g, '')}" AND BridgeStatus = "${MessageStatus.Held}" AND ExecutionStatus = "Running"`;
  let signalled = 0;
  for await (const execution of client.workflow.list({ query })) {
    try {
      await client.workflow.getHandle(execution.workflowId, execution.runId).signal(accountStateChanged, change);
      signalled += 1;
    } catch (error) {
      // It may have finished between the listing and the signal.
      log.info('held workflow could not be signalled', {
        workflowId: execution.workflowId,
        reason: (error as Error).message,
      });
    }
  }
  return signalled;
}
