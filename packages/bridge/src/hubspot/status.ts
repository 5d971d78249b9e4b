import type { HubSpotStatusType } from '../domain/outbound-status.js';
import type { HubSpotClientOptions } from './client.js';
import { toHubSpotError } from './errors.js';
import { trusting, type AddressPolicy } from '../net/address-policy.js';
import { createGuardedFetch } from '../net/guarded-connect.js';
import { downloadHubSpotFile, type DownloadedFile } from './files-download.js';
import { portalClientGetter } from './portal-clients.js';

export interface MessageStatusUpdate {
  readonly statusType: HubSpotStatusType;
  /** Shown to the rep next to FAILED. */
  readonly errorMessage?: string;
}

/** What the outbound side needs from HubSpot beyond publishing: a reply's files and its status. */
export interface HubSpotOutboundClient {
  /**
   * `PATCH /conversations/v3/custom-channels/{channelId}/messages/{messageId}`
   * (https://developers.hubspot.com/docs/api-reference/latest/conversations/custom-channels/messages/update-custom-channel).
   */
  updateMessageStatus(
    portalId: string,
    channelId: string,
    messageId: string,
    update: MessageStatusUpdate,
  ): Promise<void>;
  downloadFile(portalId: string, fileId: string, maxBytes: number): Promise<DownloadedFile>;
}

export interface HubSpotOutboundOptions extends Omit<HubSpotClientOptions, 'channelId'> {
  /**
   * Where signed file URLs may point besides public addresses and `baseUrl`'s origin
   * (BRIDGE_ALLOW_PRIVATE_MEDIA_HOSTS).
   */
  readonly filePolicy?: AddressPolicy;
}

/**
 * Same base URL and per-portal token as the publishing client; throws HubSpotApiError on a non-2xx.
 * File downloads connect through the address policy unless a test injects `fetchFn`.
 */
export function createHubSpotOutboundClient(
  options: HubSpotOutboundOptions,
  fetchFn?: typeof fetch,
): HubSpotOutboundClient {
  const policy = trusting(options.filePolicy ?? {}, options.baseUrl);
  const download = { policy, fetch: fetchFn ?? createGuardedFetch(policy) };
  const portalClient = portalClientGetter(options);
  return {
    async updateMessageStatus(portalId, channelId, messageId, update) {
      const client = await portalClient(portalId);
      const res = await client.apiRequest({
        method: 'PATCH',
        path: `/conversations/v3/custom-channels/${encodeURIComponent(channelId)}/messages/${encodeURIComponent(messageId)}`,
        body: update.errorMessage
          ? { statusType: update.statusType, errorMessage: update.errorMessage }
          : { statusType: update.statusType },
      });
      if (!res.ok) throw await toHubSpotError(res);
    },
    async downloadFile(portalId, fileId, maxBytes) {
      return downloadHubSpotFile(await portalClient(portalId), fileId, maxBytes, download);
    },
  };
}
