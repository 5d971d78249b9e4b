import { lookUpAccountWith, type ChannelAccountsClient } from './channel-accounts.js';
import type { HubSpotClient } from './client.js';
import type { HubSpotOutboundClient } from './status.js';

/**
 * Runs one request to HubSpot's API for a portal once the portal's budget allows it, and learns from its answer (a 429
 * holds the portal's other callers). HubSpot's limit is per app per portal
 * (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines). The store-backed implementation,
 * shared by every worker process, is src/activities/rate-limit.ts; this folder only knows its shape.
 */
export type PortalLimiter = <T>(portalId: string, call: () => Promise<T>) => Promise<T>;

/**
 * The publishing client with each request limited. A repeated publish whose 409 names the earlier message reads it
 * back inside the same slot: a second request, rare (only after a lost answer), left uncounted.
 * Each wrapper below lists every method of its client's interface, so a method added there does not compile until
 * it is limited here.
 */
export function limitedHubSpotClient(client: HubSpotClient, limit: PortalLimiter): HubSpotClient {
  return {
    publishMessage: (portalId, egg) => limit(portalId, () => client.publishMessage(portalId, egg)),
    uploadFile: (portalId, upload) => limit(portalId, () => client.uploadFile(portalId, upload)),
    getThread: (portalId, threadId) => limit(portalId, () => client.getThread(portalId, threadId)),
  };
}

/**
 * Status writes and file downloads, each limited. A download is one API request (the signed URL); the file's bytes
 * then come from the URL HubSpot signed, outside the API and its limit ([INFERRED]: HubSpot counts requests to its
 * API hosts; the signed URL points at its file CDN). Its slot is re-stamped when the bytes have arrived.
 */
export function limitedOutboundClient(client: HubSpotOutboundClient, limit: PortalLimiter): HubSpotOutboundClient {
  return {
    updateMessageStatus: (portalId, channelId, messageId, update) =>
      limit(portalId, () => client.updateMessageStatus(portalId, channelId, messageId, update)),
    downloadFile: (portalId, fileId, maxBytes) =>
      limit(portalId, () => client.downloadFile(portalId, fileId, maxBytes)),
  };
}

/**
 * Channel-account reads and staging-token writes, each request limited: `lookUpAccount`'s two reads take a slot each.
 */
export function limitedChannelAccounts(client: ChannelAccountsClient, limit: PortalLimiter): ChannelAccountsClient {
  const reads = {
    getAccount: (portalId: string, accountId: string) => limit(portalId, () => client.getAccount(portalId, accountId)),
    getArchivedAccount: (portalId: string, accountId: string) =>
      limit(portalId, () => client.getArchivedAccount(portalId, accountId)),
  };
  return {
    ...reads,
    lookUpAccount: (portalId, accountId) => lookUpAccountWith(reads, portalId, accountId),
    updateStagingToken: (portalId, accountToken, update) =>
      limit(portalId, () => client.updateStagingToken(portalId, accountToken, update)),
  };
}
