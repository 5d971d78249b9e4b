import type {
  HubSpotSandboxState,
  SandboxChannel,
  SandboxChannelAccount,
  SandboxFile,
  SandboxInbox,
  SandboxMessage,
  SandboxStagingToken,
  SandboxThread,
} from './state.js';

// The shapes HubSpot answers with, built from the sandbox's records. Internal fields (portalId, bytes…) stay inside.

/** `PublicChannelIntegrationChannel`. */
export function publicChannel(c: SandboxChannel) {
  const { archived: _archived, ...rest } = c;
  return rest;
}

/** `PublicChannelAccount`. */
export function publicAccount(a: SandboxChannelAccount) {
  const { portalId: _portalId, ...rest } = a;
  return rest;
}

/** `PublicChannelAccountStagingToken`: its three ids are integers, unlike everywhere else. */
export function publicStagingToken(t: SandboxStagingToken) {
  return {
    accountToken: t.accountToken,
    createdAt: t.createdAt,
    genericChannelId: Number(t.channelId),
    inboxId: Number(t.inboxId),
    userId: t.userId,
    ...(t.accountName !== undefined ? { accountName: t.accountName } : {}),
    ...(t.deliveryIdentifier ? { deliveryIdentifier: t.deliveryIdentifier } : {}),
  };
}

/** `PublicConversationsMessage` as HubSpot returns it. */
export function publicMessage(state: HubSpotSandboxState, m: SandboxMessage) {
  return {
    id: m.id,
    type: 'MESSAGE',
    conversationsThreadId: m.conversationsThreadId,
    channelId: m.channelId,
    channelAccountId: m.channelAccountId,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt ?? m.createdAt,
    createdBy: m.createdBy ?? `I-${state.app.appId}`,
    direction: m.direction,
    archived: false,
    client: {
      clientType: m.direction === 'OUTGOING' && m.createdBy?.startsWith('A-') ? 'HUBSPOT' : 'INTEGRATION',
      integrationAppId: state.app.appId,
    },
    senders: m.senders,
    recipients: m.recipients,
    text: m.text,
    ...(m.richText ? { richText: m.richText } : {}),
    ...(m.inReplyToId ? { inReplyToId: m.inReplyToId } : {}),
    truncationStatus: 'NOT_TRUNCATED',
    status: m.status,
    attachments: m.attachments.map((a) => withFileDetails(state, a)),
  };
}

// Response-side FILE attachments (`PublicFile`) always carry `fileUsageType`, and the file's name and url
// (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/messages/create-custom-channel).
function withFileDetails(state: HubSpotSandboxState, attachment: Record<string, unknown>) {
  if (attachment.type !== 'FILE' || typeof attachment.fileId !== 'string') return attachment;
  const file = state.files.get(attachment.fileId);
  const fileUsageType = typeof attachment.fileUsageType === 'string' ? attachment.fileUsageType : usageOf(file);
  return file
    ? { ...attachment, fileUsageType, name: fileName(file), url: fileUrl(state, file) }
    : { ...attachment, fileUsageType };
}

/**
 * The usage HubSpot reports when the publisher named none: from the file's kind ([INFERRED]: the reference lists the
 * values, not how HubSpot picks one).
 */
function usageOf(file: SandboxFile | undefined): string {
  if (file?.type === 'IMG') return 'IMAGE';
  if (file?.type === 'AUDIO') return 'AUDIO';
  return 'OTHER';
}

/** `PublicThread` (Conversations v3). */
export function publicThread(state: HubSpotSandboxState, t: SandboxThread) {
  const account = state.channelAccounts.get(t.channelAccountId);
  const messages = [...state.messages.values()].filter((m) => m.conversationsThreadId === t.id);
  const latest = (direction?: SandboxMessage['direction']) =>
    messages.filter((m) => !direction || m.direction === direction).at(-1)?.createdAt;
  return {
    id: t.id,
    createdAt: t.createdAt,
    status: t.status,
    ...(t.closedAt ? { closedAt: t.closedAt } : {}),
    originalChannelId: account?.channelId ?? '',
    originalChannelAccountId: t.channelAccountId,
    inboxId: t.inboxId ?? account?.inboxId ?? '',
    ...(t.associatedContactId ? { associatedContactId: t.associatedContactId } : {}),
    ...(t.assignedTo ? { assignedTo: t.assignedTo } : {}),
    latestMessageTimestamp: latest() ?? t.createdAt,
    ...(latest('OUTGOING') ? { latestMessageSentTimestamp: latest('OUTGOING') } : {}),
    ...(latest('INCOMING') ? { latestMessageReceivedTimestamp: latest('INCOMING') } : {}),
    spam: false,
    archived: false,
  };
}

/** `PublicInbox`. */
export function publicInbox(i: SandboxInbox) {
  const { portalId: _portalId, ...rest } = i;
  return rest;
}

const fileName = (f: SandboxFile) => (f.extension ? `${f.name}.${f.extension}` : f.name);
// HubSpot's `url` for a file; only PUBLIC_* files are served there without signing (see routes/files.ts).
const fileUrl = (state: HubSpotSandboxState, f: SandboxFile) => `${state.origin}/hubfs/${f.portalId}${f.path}`;

/** `File` (Files v3). */
export function publicFile(state: HubSpotSandboxState, f: SandboxFile) {
  return {
    id: f.id,
    name: f.name,
    extension: f.extension,
    path: f.path,
    parentFolderId: f.parentFolderId,
    size: f.size,
    type: f.type,
    encoding: f.contentType,
    access: f.access,
    url: fileUrl(state, f),
    defaultHostingUrl: fileUrl(state, f),
    isUsableInContent: f.access.startsWith('PUBLIC'),
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    archived: f.archived,
    sourceGroup: 'CONVERSATIONS',
  };
}

/** Paging shared by every list: `after` is an opaque cursor (here: the offset). */
export function page<T>(items: T[], query: { after?: unknown; limit?: unknown }, defaultLimit = 20) {
  const offset = Math.max(0, Number(query.after ?? 0) || 0);
  const limit = Math.min(500, Math.max(1, Number(query.limit ?? defaultLimit) || defaultLimit));
  const results = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? { next: { after: String(offset + limit) } } : undefined;
  return { total: items.length, results, ...(next ? { paging: next } : {}) };
}
