import { HubSpotSandboxError, notFound, validationError } from '../errors.js';
import { storeFile, type NewFile } from '../files-store.js';
import {
  SandboxEvent,
  type HubSpotSandboxState,
  type SandboxFile,
  type SandboxMessage,
  type SandboxThread,
} from '../state.js';
import { outgoingMessageEvent, sendWebhook } from '../webhooks.js';

/** What a rep types into the reply editor. */
export interface RepReply {
  readonly threadId: string;
  /** Plain text; derived from `richText` when absent. */
  readonly text?: string;
  /** HTML, as HubSpot's editor produces (`<p>`, `<b>`, `<a href>`…). */
  readonly richText?: string;
  /** Files already uploaded (see `uploadRepFile`), in order. */
  readonly fileIds?: readonly string[];
  /** Shown as the sender's name; default "Sandbox Rep". */
  readonly senderName?: string;
  /**
   * The message of this thread the rep replies to (the event's `message.inReplyToId`); default: the customer's latest.
   */
  readonly inReplyToId?: string;
}

export function getThread(state: HubSpotSandboxState, threadId: string): SandboxThread {
  const thread = state.threads.get(threadId);
  if (!thread) throw notFound(`Thread ${threadId}`);
  return thread;
}

const stripHtml = (html: string) =>
  html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .trim();

const mimeAllowed = (allowed: unknown, contentType: string) =>
  !Array.isArray(allowed) ||
  allowed.some(
    (a) => a === contentType || (typeof a === 'string' && a.endsWith('/*') && contentType.startsWith(a.slice(0, -1))),
  );

const usageType = (f: SandboxFile) => (f.type === 'IMG' ? 'IMAGE' : f.type === 'AUDIO' ? 'AUDIO' : 'OTHER');

/** Checks the rep's files against the channel's capabilities, as HubSpot's editor does before sending. */
function checkAttachments(capabilities: Record<string, unknown>, files: SandboxFile[]): void {
  if (files.length === 0) return;
  const types = capabilities.outgoingAttachmentTypes;
  if (Array.isArray(types) && !types.includes('FILE'))
    throw validationError('This channel does not accept file attachments');
  const maxCount = capabilities.maxFileAttachmentCount;
  if (typeof maxCount === 'number' && files.length > maxCount)
    throw validationError(`This channel accepts at most ${maxCount} file(s) per message`);
  const maxSize = capabilities.maxFileAttachmentSizeBytes;
  const tooBig = files.find((f) => typeof maxSize === 'number' && f.size > maxSize);
  if (tooBig)
    throw validationError(`${tooBig.name}.${tooBig.extension} is larger than this channel's ${String(maxSize)} bytes`);
  const maxTotal = capabilities.maxTotalFileAttachmentSizeBytes;
  const total = files.reduce((n, f) => n + f.size, 0);
  if (typeof maxTotal === 'number' && total > maxTotal)
    throw validationError(`The files add up to more than this channel's ${maxTotal} bytes`);
  const refused = files.find((f) => !mimeAllowed(capabilities.allowedFileAttachmentMimeTypes, f.contentType));
  if (refused) throw validationError(`This channel does not accept ${refused.contentType} files`);
}

/** The thread a rep answers in, with its account, channel and portal; refuses what HubSpot's editor would. */
function replyTarget(state: HubSpotSandboxState, threadId: string) {
  const thread = getThread(state, threadId);
  const account = state.channelAccounts.get(thread.channelAccountId);
  const channel = account && state.channels.get(account.channelId);
  const portal = state.portals.get(thread.portalId);
  if (!account || !channel || !portal || account.archived || channel.archived)
    throw notFound(`Channel account of thread ${thread.id}`);
  if (!account.authorized) throw validationError(`Channel account ${account.id} is turned off; replies cannot be sent`);
  if (channel.capabilities.allowOutgoingMessages === false)
    throw validationError(`Channel ${channel.name} does not allow outgoing messages`);
  return { thread, account, channel, portal };
}

/**
 * A rep answers in a thread: creates the OUTGOING message and POSTs `OUTGOING_CHANNEL_MESSAGE_CREATED` to the
 * channel's webhookUrl (signed, retried). The recipient is the customer who wrote last in the thread.
 * Throws HubSpotSandboxError (400/404) when HubSpot's editor would refuse to send.
 */
export function replyAsRep(state: HubSpotSandboxState, reply: RepReply): SandboxMessage {
  const { thread, account, channel, portal } = replyTarget(state, reply.threadId);
  const files = (reply.fileIds ?? []).map((id) => {
    const file = state.files.get(id);
    if (!file || file.portalId !== portal.portalId) throw notFound(`File ${id}`);
    return file;
  });
  checkAttachments(channel.capabilities, files);
  const text = reply.text ?? (reply.richText ? stripHtml(reply.richText) : '');
  if (!text.trim() && files.length === 0)
    throw validationError('A reply needs text or a file', [{ message: 'text is empty', in: 'text' }]);
  const lastIncoming = [...state.messages.values()]
    .filter((m) => m.conversationsThreadId === thread.id && m.direction === 'INCOMING')
    .at(-1);
  if (!lastIncoming)
    throw new HubSpotSandboxError(400, 'VALIDATION_ERROR', `Thread ${thread.id} has no customer to reply to`);
  const repliedTo = reply.inReplyToId === undefined ? lastIncoming : state.messages.get(reply.inReplyToId);
  // [INFERRED] HubSpot's editor only replies to a message of the same thread; the sandbox refuses any other id.
  if (!repliedTo || repliedTo.conversationsThreadId !== thread.id)
    throw validationError(`Message ${reply.inReplyToId} is not in thread ${thread.id}`, [
      { message: 'not a message of this thread', in: 'inReplyToId' },
    ]);
  const now = new Date().toISOString();
  const actorId = `A-${portal.userId}`;
  const message: SandboxMessage = {
    id: state.nextId(),
    portalId: portal.portalId,
    channelId: channel.id,
    channelAccountId: account.id,
    conversationsThreadId: thread.id,
    direction: 'OUTGOING',
    text,
    ...(reply.richText ? { richText: reply.richText } : {}),
    senders: [
      {
        actorId,
        name: reply.senderName ?? 'Sandbox Rep',
        deliveryIdentifier: account.deliveryIdentifier ?? { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: account.id },
      },
    ],
    recipients: lastIncoming.senders.map((s) => ({ ...s })),
    attachments: files.map((f) => ({ type: 'FILE', fileId: f.id, fileUsageType: usageType(f) })),
    inReplyToId: repliedTo.id,
    timestamp: now,
    createdAt: now,
    createdBy: actorId,
    // HubSpot hands the message to the integration as SENT (as public integrations see it in the webhook, [INFERRED]);
    // the integration then reports the outcome.
    status: { statusType: 'SENT' },
    statusUpdates: [],
  };
  state.messages.set(message.id, message);
  thread.latestMessageTimestamp = now;
  state.events.emit(SandboxEvent.messageCreated, { id: message.id });
  sendWebhook(state, channel, outgoingMessageEvent(state, channel, message));
  return message;
}

/** A rep attaches a file in the reply editor: stored in the portal's Files, in the conversations folder. */
/**
 * A rep's attachment, stored PRIVATE in a folder of its own, so it keeps the name the rep gave it: in one shared folder
 * the Files store renames a second `invoice.pdf` to `invoice-1.pdf`, as HubSpot's Files API does, and the customer
 * would
 * get that name. [INFERRED] HubSpot's inbox shows a rep's attachment under the name it was uploaded with.
 */
export function uploadRepFile(
  state: HubSpotSandboxState,
  file: Omit<NewFile, 'folderPath' | 'folderId' | 'access'>,
): SandboxFile {
  return storeFile(state, { ...file, access: 'PRIVATE', folderPath: `/conversations-attachments/${state.nextId()}` });
}

/** Close or reopen a thread (the same as `PATCH /conversations/v3/conversations/threads/{id}`). */
export function setThreadStatus(
  state: HubSpotSandboxState,
  threadId: string,
  status: 'OPEN' | 'CLOSED',
): SandboxThread {
  const thread = getThread(state, threadId);
  if (thread.status !== status) {
    thread.status = status;
    if (status === 'CLOSED') thread.closedAt = new Date().toISOString();
    else delete thread.closedAt;
    state.events.emit(SandboxEvent.threadUpdated, { id: thread.id });
  }
  return thread;
}

/** Reassign the thread's owner: `A-{userId}` of a rep, or null to unassign. */
export function assignThread(state: HubSpotSandboxState, threadId: string, actorId: string | null): SandboxThread {
  const thread = getThread(state, threadId);
  if (actorId !== null && !/^A-\d+$/.test(actorId))
    throw validationError(`assignedTo must be a user actor id like A-123, got ${actorId}`);
  if (actorId === null) delete thread.assignedTo;
  else thread.assignedTo = actorId;
  state.events.emit(SandboxEvent.threadUpdated, { id: thread.id });
  return thread;
}
