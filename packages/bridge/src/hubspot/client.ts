import type { Client } from '@hubspot/api-client';
import { toHubSpotError } from './errors.js';
import { uploadFile, type FileUpload, type UploadedFile } from './files.js';
import type { ConversationThreadInfo } from './threads.js';
import type { MessageEgg, PublishedMessage } from './types.js';
import { portalClientGetter, type PortalClients } from './portal-clients.js';

export interface HubSpotClientOptions {
  /** `https://api.hubapi.com`, or the sandbox's base URL. */
  readonly baseUrl: string;
  readonly channelId: string;
  /** Returns a valid access token for the portal; single-portal mode returns a static token. */
  readonly accessTokenFor: (portalId: string) => Promise<string>;
  /**
   * One SDK client per portal and token. @default the process-wide registry for `baseUrl`
   * (src/hubspot/portal-clients.ts)
   */
  readonly portalClients?: PortalClients;
}

export interface HubSpotClient {
  /**
   * The published message: on 200 or 201, and on a 409 for a repeated `integrationIdempotencyId` that names the earlier
   * one.
   */
  publishMessage(portalId: string, egg: MessageEgg): Promise<PublishedMessage>;
  /** `POST /files/v3/files`, streamed (src/hubspot/files.ts). */
  uploadFile(portalId: string, upload: FileUpload): Promise<UploadedFile>;
  /** `GET /conversations/v3/conversations/threads/{id}`: is the thread still open? */
  getThread(portalId: string, threadId: string): Promise<ConversationThreadInfo>;
}

/** A 409 body that is the earlier message itself ([INFERRED]: the reference documents 201 only). */
function publishedIn(body: unknown): PublishedMessage | undefined {
  const message = body as Partial<PublishedMessage> | undefined;
  return typeof message?.id === 'string' && typeof message.conversationsThreadId === 'string'
    ? (message as PublishedMessage)
    : undefined;
}

/** The earlier message's id from a 409 error's `context` ([INFERRED] key names: `messageId`, `id`). */
function existingMessageId(body: unknown): string | undefined {
  const context = (body as { context?: Record<string, unknown> } | undefined)?.context;
  const value = context?.messageId ?? context?.id;
  const id = Array.isArray(value) ? value[0] : value;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

async function readBack(
  client: Client,
  messages: string,
  messageId: string | undefined,
): Promise<PublishedMessage | undefined> {
  if (!messageId) return undefined;
  const res = await client.apiRequest({ method: 'GET', path: `${messages}/${encodeURIComponent(messageId)}` });
  if (!res.ok) throw await toHubSpotError(res);
  return (await res.json()) as PublishedMessage;
}

/**
 * Custom Channels through `@hubspot/api-client`'s `apiRequest`, which has no typed client for them
 * and resolves on HTTP errors, so every call checks the status itself.
 */
export function createHubSpotClient(options: HubSpotClientOptions): HubSpotClient {
  const portalClient = portalClientGetter(options);

  return {
    async publishMessage(portalId, egg) {
      const client = await portalClient(portalId);
      const messages = `/conversations/v3/custom-channels/${options.channelId}/messages`;
      const res = await client.apiRequest({ method: 'POST', path: messages, body: egg });
      if (res.ok) return (await res.json()) as PublishedMessage;
      if (res.status !== 409) throw await toHubSpotError(res);
      // A conflict on a repeated integrationIdempotencyId means the first attempt was published: that message is the
      // result. Where HubSpot names it (the body, or the error's context) it is read back; otherwise the conflict stays
      // an error.
      const conflict = await toHubSpotError(res);
      const existing =
        publishedIn(conflict.body) ?? (await readBack(client, messages, existingMessageId(conflict.body)));
      if (!existing) throw conflict;
      return existing;
    },
    async uploadFile(portalId, upload) {
      return uploadFile(options.baseUrl, await options.accessTokenFor(portalId), upload);
    },
    async getThread(portalId, threadId) {
      const client = await portalClient(portalId);
      const res = await client.apiRequest({
        method: 'GET',
        path: `/conversations/v3/conversations/threads/${encodeURIComponent(threadId)}`,
      });
      if (!res.ok) throw await toHubSpotError(res);
      return (await res.json()) as ConversationThreadInfo;
    },
  };
}
