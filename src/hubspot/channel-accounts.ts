import { Client } from '@hubspot/api-client';
import type { DeliveryIdentifier } from '../store/types.js';
import { toHubSpotError } from './errors.js';

/** `PublicChannelAccount` (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/channel-accounts/create-custom-channel): the fields the bridge trusts. */
export interface ChannelAccount {
  readonly id: string;
  readonly channelId: string;
  readonly inboxId: string;
  readonly name: string;
  readonly authorized: boolean;
  readonly active: boolean;
  readonly archived: boolean;
  readonly deliveryIdentifier?: DeliveryIdentifier;
}

/** `PublicChannelAccountStagingToken` (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/channel-accounts/update-custom-channel); its ids are integers. */
export interface StagingToken {
  readonly accountToken: string;
  readonly genericChannelId: number;
  readonly inboxId: number;
  readonly userId: number;
  readonly accountName?: string;
  readonly deliveryIdentifier?: DeliveryIdentifier;
}

export interface ChannelAccountsOptions {
  readonly baseUrl: string;
  readonly channelId: string;
  readonly accessTokenFor: (portalId: string) => Promise<string>;
}

/** Channel accounts and staging tokens, with the installed portal's OAuth token. */
export function createChannelAccountsClient(options: ChannelAccountsOptions) {
  const prefix = `/conversations/v3/custom-channels/${encodeURIComponent(options.channelId)}`;
  const call = async <T>(portalId: string, method: string, path: string, body?: unknown, qs?: Record<string, string>): Promise<T> => {
    const client = new Client({ accessToken: await options.accessTokenFor(portalId), basePath: options.baseUrl });
    const res = await client.apiRequest({ method, path, body, ...(qs ? { qs } : {}) });
    if (!res.ok) throw await toHubSpotError(res);
    return (await res.json()) as T;
  };
  return {
    /** Re-reads an account, archived ones included, so removed accounts are seen as removed ([INFERRED]). */
    getAccount: (portalId: string, accountId: string) =>
      call<ChannelAccount>(portalId, 'GET', `${prefix}/channel-accounts/${encodeURIComponent(accountId)}`, undefined, { archived: 'true' }),
    /** Names the account HubSpot will create from this staging token. 409: already used; 404: unknown or expired. */
    updateStagingToken: (portalId: string, accountToken: string, update: { accountName: string; deliveryIdentifier: DeliveryIdentifier }) =>
      call<StagingToken>(portalId, 'PATCH', `${prefix}/channel-account-staging-tokens/${encodeURIComponent(accountToken)}`, update),
  };
}
export type ChannelAccountsClient = ReturnType<typeof createChannelAccountsClient>;
