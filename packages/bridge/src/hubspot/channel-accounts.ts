import type { DeliveryIdentifier } from '../store/types.js';
import { HubSpotApiError, toHubSpotError } from './errors.js';
import { portalClientGetter, type PortalClients } from './portal-clients.js';

/**
 * `PublicChannelAccount`
 * (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/channel-accounts/create-custom-channel):
 * the fields the bridge trusts.
 */
export interface ChannelAccount {
  readonly id: string;
  readonly channelId: string;
  readonly inboxId: string;
  readonly name: string;
  readonly authorized: boolean;
  /** "Whether the channel account is turned on" (same reference as AccountLookup). */
  readonly active: boolean;
  readonly archived: boolean;
  readonly deliveryIdentifier?: DeliveryIdentifier;
}

/**
 * `PublicChannelAccountStagingToken`
 * (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/channel-accounts/update-custom-channel);
 * its ids are integers.
 */
export interface StagingToken {
  readonly accountToken: string;
  readonly genericChannelId: number;
  readonly inboxId: number;
  readonly userId: number;
  readonly accountName?: string;
  readonly deliveryIdentifier?: DeliveryIdentifier;
}

/**
 * What two documented reads say about an account: GET without `archived` (default false) returns only a live account,
 * GET with `archived=true` only an archived one
 * (https://developers.hubspot.com/docs/api-reference/2026-09-beta/conversations/conversations/channel-accounts/get-channel-account).
 * 'not-found' is ambiguous (purged, another portal's, or a token that cannot see it), never proof of removal.
 */
export type AccountLookup =
  | { readonly state: 'live'; readonly account: ChannelAccount }
  | { readonly state: 'archived'; readonly account: ChannelAccount }
  | { readonly state: 'not-found' };

/** A 404 as `undefined`; any other failure stays a failure. */
async function orNotFound<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof HubSpotApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** The two reads `lookUpAccount` makes, so a wrapper (src/hubspot/portal-limit.ts) can limit each one. */
export interface ChannelAccountReads {
  getAccount(portalId: string, accountId: string): Promise<ChannelAccount>;
  getArchivedAccount(portalId: string, accountId: string): Promise<ChannelAccount>;
}

/** HubSpot's current view of an account: live, archived, or not found either way (gone, or not ours to see). */
export async function lookUpAccountWith(
  reads: ChannelAccountReads,
  portalId: string,
  accountId: string,
): Promise<AccountLookup> {
  const live = await orNotFound(reads.getAccount(portalId, accountId));
  if (live) return { state: 'live', account: live };
  const archived = await orNotFound(reads.getArchivedAccount(portalId, accountId));
  return archived ? { state: 'archived', account: archived } : { state: 'not-found' };
}

export interface ChannelAccountsOptions {
  readonly baseUrl: string;
  readonly channelId: string;
  readonly accessTokenFor: (portalId: string) => Promise<string>;
  /** @default the process-wide registry for `baseUrl` (src/hubspot/portal-clients.ts) */
  readonly portalClients?: PortalClients;
}

/** Channel accounts and staging tokens, with the installed portal's OAuth token. */
export function createChannelAccountsClient(options: ChannelAccountsOptions) {
  const prefix = `/conversations/v3/custom-channels/${encodeURIComponent(options.channelId)}`;
  const portalClient = portalClientGetter(options);
  const call = async <T>(
    portalId: string,
    method: string,
    path: string,
    body?: unknown,
    qs?: Record<string, string>,
  ): Promise<T> => {
    const client = await portalClient(portalId);
    const res = await client.apiRequest({ method, path, body, ...(qs ? { qs } : {}) });
    if (!res.ok) throw await toHubSpotError(res);
    return (await res.json()) as T;
  };
  const read = (portalId: string, accountId: string, qs?: Record<string, string>) =>
    call<ChannelAccount>(portalId, 'GET', `${prefix}/channel-accounts/${encodeURIComponent(accountId)}`, undefined, qs);
  /** A live account; 404 when it is archived or unknown (`archived` defaults to false). */
  const getAccount = (portalId: string, accountId: string) => read(portalId, accountId);
  /**
   * The account only if it is archived (`archived=true`: "return only results that have been archived"); 404 otherwise.
   */
  const getArchivedAccount = (portalId: string, accountId: string) => read(portalId, accountId, { archived: 'true' });
  return {
    getAccount,
    getArchivedAccount,
    /** HubSpot's current view of an account: live, archived, or not found either way (gone, or not ours to see). */
    lookUpAccount: (portalId: string, accountId: string): Promise<AccountLookup> =>
      lookUpAccountWith({ getAccount, getArchivedAccount }, portalId, accountId),
    /** Names the account HubSpot will create from this staging token. 409: already used; 404: unknown or expired. */
    updateStagingToken: (
      portalId: string,
      accountToken: string,
      update: { accountName: string; deliveryIdentifier: DeliveryIdentifier },
    ) =>
      call<StagingToken>(
        portalId,
        'PATCH',
        `${prefix}/channel-account-staging-tokens/${encodeURIComponent(accountToken)}`,
        update,
      ),
  };
}
export type ChannelAccountsClient = ReturnType<typeof createChannelAccountsClient>;
