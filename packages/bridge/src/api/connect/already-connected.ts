import type { ProviderKind } from '../../domain/ids.js';
import type { ProviderClaimHolder } from '../../store/sqlite/connections.js';
import type { DeliveryIdentifier } from '../../store/types.js';
import type { ConnectDeps } from './deps.js';
import { ConnectError } from './errors.js';
import { identityOfCredentials, type ProviderIdentity } from './identity.js';

/**
 * How long a pending connection (the popup finished, HubSpot has not created the channel account) keeps its bot or
 * number from being connected elsewhere. [INFERRED] HubSpot documents no lifetime for a staging token; an admin
 * finishes in HubSpot within minutes, so after an hour the connection is taken as abandoned.
 */
export const PENDING_HOLD_MS = 60 * 60_000;
/** How long a popup that claimed a bot, and has not stored its connection yet, keeps it: far above one request. */
export const CONNECTING_HOLD_MS = 10 * 60_000;

/** One connection about to change something at the provider, and what it is, in words for the admin. */
export interface WantedConnection {
  readonly provider: ProviderKind;
  /** Undefined when the connection shares nothing at the provider (a generic connector without a callback URL). */
  readonly identity?: ProviderIdentity;
  readonly deliveryIdentifier: DeliveryIdentifier;
  readonly connectionId: string;
  readonly portalId: string;
  /** The account name it will have. */
  readonly name: string;
  /** E.g. "The bot @acme_bot", "The number +1 555-078-3881". */
  readonly what: string;
}

const minute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

function refusal(what: string, holder: ProviderClaimHolder): ConnectError {
  const as = `"${holder.name}"`;
  switch (holder.state) {
    case 'connected':
      return new ConnectError(
        409,
        `${what} is already connected to HubSpot as ${as} (channel account ${holder.accountId}, portal ${holder.portalId}). Remove that connection in HubSpot's inbox settings first, or connect another one.`,
      );
    case 'pending': {
      const lapses = minute(new Date(Date.parse(holder.since) + PENDING_HOLD_MS).toISOString());
      return new ConnectError(
        409,
        `${what} is already being connected to HubSpot as ${as} (portal ${holder.portalId}, since ${minute(holder.since)}); HubSpot has not created its channel account yet. Finish that connection in HubSpot's inbox settings. If it was abandoned, it lapses at ${lapses}, and this one can be connected then.`,
      );
    }
    case 'connecting':
      return new ConnectError(
        409,
        `${what} is being connected as ${as} (portal ${holder.portalId}) in another window right now. Finish there, or try again in a few minutes.`,
      );
  }
}

/**
 * Every stored account, whatever made it (this page, configuration, an older release), checked by what its
 * credentials name at the provider and by its delivery identifier. Reads credentials, compares ids, reveals none.
 */
async function connectedAccountMatching(deps: ConnectDeps, wanted: WantedConnection) {
  for (const account of await deps.store.listAccounts()) {
    if (account.deliveryIdentifier.value === wanted.deliveryIdentifier.value) return account;
    if (account.provider !== wanted.provider || !wanted.identity) continue;
    let credentials;
    try {
      credentials = (await deps.store.getAccount(account.accountId))?.credentials;
    } catch (error) {
      // Unreadable credentials could be this very bot: refuse rather than guess.
      throw new ConnectError(
        500,
        `The bridge could not read its connected accounts to check that this one is not among them (${(error as Error).message}). Nothing was connected.`,
        { cause: error },
      );
    }
    if (credentials && identityOfCredentials(account.provider, credentials) === wanted.identity) return account;
  }
  return undefined;
}

/**
 * Refuses (409, naming the account it belongs to) a bot, number or connector that is already a channel account of
 * any portal, or is being connected by another popup; otherwise claims it for `wanted.connectionId` in the store,
 * atomically, so of two popups racing for one bot exactly one goes on. Call before any provider-side change; release
 * with `releaseConnection` when the connection is given up.
 */
export async function claimOrRefuse(deps: ConnectDeps, wanted: WantedConnection, now = new Date()): Promise<void> {
  const account = await connectedAccountMatching(deps, wanted);
  if (account)
    throw refusal(wanted.what, {
      state: 'connected',
      portalId: account.portalId,
      name: account.name,
      accountId: account.accountId,
      since: '',
    });
  if (!wanted.identity) return;
  const holder = await deps.store.claimProviderIdentity(
    {
      identity: wanted.identity,
      connectionId: wanted.connectionId,
      portalId: wanted.portalId,
      provider: wanted.provider,
      name: wanted.name,
    },
    {
      pendingSince: new Date(now.getTime() - PENDING_HOLD_MS).toISOString(),
      connectingSince: new Date(now.getTime() - CONNECTING_HOLD_MS).toISOString(),
    },
  );
  if (holder) throw refusal(wanted.what, holder);
}

/** Gives up a connection that did not complete: its pending row, if stored, and its claim. */
export function releaseConnection(deps: ConnectDeps, connectionId: string): Promise<void> {
  return deps.store.deletePendingConnection(connectionId);
}
