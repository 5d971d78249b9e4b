import { Client } from '@hubspot/api-client';
import { toHubSpotError } from './errors.js';
import { uploadFile, type FileUpload, type UploadedFile } from './files.js';
import type { ConversationThreadInfo } from './threads.js';
import type { MessageEgg, PublishedMessage } from './types.js';

export interface HubSpotClientOptions {
  /** `https://api.hubapi.com`, or the sandbox's base URL. */
  readonly baseUrl: string;
  readonly channelId: string;
  /** Returns a valid access token for the portal; single-portal mode returns a static token. */
  readonly accessTokenFor: (portalId: string) => Promise<string>;
}

export interface HubSpotClient {
  publishMessage(portalId: string, egg: MessageEgg): Promise<PublishedMessage>;
  /** `POST /files/v3/files`, streamed (src/hubspot/files.ts). */
  uploadFile(portalId: string, upload: FileUpload): Promise<UploadedFile>;
  /** `GET /conversations/v3/conversations/threads/{id}`: is the thread still open? */
  getThread(portalId: string, threadId: string): Promise<ConversationThreadInfo>;
}



/**
 * Custom Channels through `@hubspot/api-client`'s `apiRequest`, which has no typed client for them
 * and resolves on HTTP errors, so every call checks the status itself.
 */
export function createHubSpotClient(options: HubSpotClientOptions): HubSpotClient {
  const portalClient = async (portalId: string) =>
    new Client({ accessToken: await options.accessTokenFor(portalId), basePath: options.baseUrl });

  return {
    async publishMessage(portalId, egg) {
      const client = await portalClient(portalId);
      const res = await client.apiRequest({
        method: 'POST',
        path: `/conversations/v3/custom-channels/${options.channelId}/messages`,
        body: egg,
      });
      if (!res.ok) throw await toHubSpotError(res);
      return (await res.json()) as PublishedMessage;
    },
    async uploadFile(portalId, upload) {
      return uploadFile(options.baseUrl, await options.accessTokenFor(portalId), upload);
    },
    async getThread(portalId, threadId) {
      const client = await portalClient(portalId);
      const res = await client.apiRequest({ method: 'GET', path: `/conversations/v3/conversations/threads/${encodeURIComponent(threadId)}` });
      if (!res.ok) throw await toHubSpotError(res);
      return (await res.json()) as ConversationThreadInfo;
    },
  };
}
