import type { HubSpotSandboxState, SandboxThread } from '../state.js';
import { acceptedKinds, sizeText } from './file-kinds.js';
import { html, type SafeHtml } from './html.js';
import { inboxStateOf } from './inbox-state.js';
import { contactOf, messagesOf } from './queries.js';
import { renderContactCard, userSelect } from './render-contact.js';
import { renderMessage, type FileLookup } from './render-message.js';

const PRIORITY = { LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High' } as const;

export function renderConversationHeader(state: HubSpotSandboxState, thread: SandboxThread): SafeHtml {
  const contact = contactOf(messagesOf(state, thread.id));
  const account = state.channelAccounts.get(thread.channelAccountId);
  const via = account?.name ?? `account ${thread.channelAccountId}`;
  const closed = thread.status === 'CLOSED';
  const props = inboxStateOf(state).threadProperties.get(thread.id);
  return html`<div class="title">
  <h2 title="${contact.name}">${contact.name}</h2>
  <span class="badge ${closed ? 'closed' : 'open'}">${closed ? 'Closed' : 'Open'}</span>
  ${props?.priority ? html`<span class="badge">Priority: ${PRIORITY[props.priority]}</span>` : ''}
  ${props?.category ? html`<span class="badge">${props.category}</span>` : ''}
  <span class="via" title="via ${via}">via ${via}</span>
</div>
<div class="actions">
  ${userSelect(state, 'Owner', thread.assignedTo, html`data-action="assign" data-thread="${thread.id}" aria-label="Owner"`, 'Unassigned')}
  <button type="button" data-action="${closed ? 'reopen' : 'close'}" data-thread="${thread.id}">${closed ? 'Reopen' : 'Close conversation'}</button>
</div>`;
}

export function renderMessages(state: HubSpotSandboxState, thread: SandboxThread, files: FileLookup): SafeHtml {
  const messages = messagesOf(state, thread.id);
  if (messages.length === 0) return html`<li class="empty">No messages in this conversation yet.</li>`;
  return html`${messages.map((m) => renderMessage(m, files))}`;
}

/** Why a rep cannot answer here, as HubSpot's editor would say it; undefined when they can. */
function replyBlocked(state: HubSpotSandboxState, thread: SandboxThread): string | undefined {
  const account = state.channelAccounts.get(thread.channelAccountId);
  const channel = account && state.channels.get(account.channelId);
  if (!account || account.archived || !channel) return 'This channel was removed, so replies cannot be sent.';
  if (!account.authorized) return `${account.name} is turned off in channel settings, so replies cannot be sent.`;
  if (channel.capabilities.allowOutgoingMessages === false)
    return `${channel.name} does not accept replies from HubSpot.`;
  return undefined;
}

/** "Up to 5 files, 195 KB each: images, PDFs and text files": the channel's attachment capabilities in words. */
export function fileLimits(caps: Record<string, unknown>): string {
  const count = caps.maxFileAttachmentCount;
  const bytes = caps.maxFileAttachmentSizeBytes;
  const types = Array.isArray(caps.allowedFileAttachmentMimeTypes)
    ? caps.allowedFileAttachmentMimeTypes.filter((t): t is string => typeof t === 'string')
    : [];
  const amount = [
    typeof count === 'number' ? `up to ${count} file${count === 1 ? '' : 's'}` : '',
    typeof bytes === 'number' ? `${sizeText(bytes)} each` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const kinds = acceptedKinds(types);
  const text = amount && kinds ? `${amount}: ${kinds}` : amount || kinds;
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : '';
}

/**
 * The reply editor: formatting toolbar over a contenteditable box, files by picker, drop or paste, send. Limits come
 * from the channel.
 */
export function renderEditor(state: HubSpotSandboxState, thread: SandboxThread): SafeHtml {
  const blocked = replyBlocked(state, thread);
  if (blocked) return html`<p class="editor notice" role="note">${blocked}</p>`;
  const caps =
    state.channels.get(state.channelAccounts.get(thread.channelAccountId)?.channelId ?? '')?.capabilities ?? {};
  const num = (v: unknown) => (typeof v === 'number' ? String(v) : '');
  const mimeTypes = Array.isArray(caps.allowedFileAttachmentMimeTypes)
    ? caps.allowedFileAttachmentMimeTypes.filter((t): t is string => typeof t === 'string')
    : [];
  const types = mimeTypes.join(',');
  return html`<form class="editor" data-thread="${thread.id}" data-max-files="${num(caps.maxFileAttachmentCount)}" data-max-file-bytes="${num(caps.maxFileAttachmentSizeBytes)}" data-allowed-types="${types}" data-accepted="${acceptedKinds(mimeTypes)}" novalidate>
  <div class="toolbar" role="toolbar" aria-label="Formatting">
    <button type="button" data-format="bold" title="Bold" aria-label="Bold"><b>B</b></button>
    <button type="button" data-format="italic" title="Italic" aria-label="Italic"><i>I</i></button>
    <button type="button" data-format="link" title="Insert link" aria-label="Link"><u>Link</u></button>
    <button type="button" data-format="insertUnorderedList" title="Bulleted list" aria-label="Bulleted list">• List</button>
    <button type="button" data-format="insertOrderedList" title="Numbered list" aria-label="Numbered list">1. List</button>
  </div>
  <div class="compose" id="reply" contenteditable="true" role="textbox" aria-multiline="true" aria-label="Reply" aria-describedby="reply-hint" data-placeholder="Write a reply…"></div>
  <ul class="pending-files" aria-label="Files to send"></ul>
  <p class="error" role="alert" hidden></p>
  <div class="send-row">
    <label class="file-pick">Attach files <input type="file" name="files" multiple accept="${types}"></label>
    <span class="limits" id="reply-hint">Drop files or paste images into the reply. ${fileLimits(caps)}</span>
    <button type="submit" class="primary">Send</button>
  </div>
</form>`;
}

/**
 * The selected conversation, and the contact card beside it (which the rep can hide). `back` is the thread list's URL.
 */
export function renderConversation(
  state: HubSpotSandboxState,
  thread: SandboxThread,
  files: FileLookup,
  back: string,
): SafeHtml {
  return html`<section class="conversation" data-thread="${thread.id}" aria-label="Conversation">
  <div class="conversation-top">
    <a class="back" href="${back}">← All conversations</a>
    <header class="conversation-header" data-live="/_sandbox/inbox/fragments/threads/${thread.id}/header">${renderConversationHeader(state, thread)}</header>
    <button type="button" class="card-toggle" data-card-toggle aria-controls="contact-card" aria-expanded="true">Contact</button>
  </div>
  <ol class="messages" tabindex="0" aria-label="Messages" data-live-keyed="/_sandbox/inbox/fragments/threads/${thread.id}/messages">${renderMessages(state, thread, files)}</ol>
  ${renderEditor(state, thread)}
</section>
<aside class="contact-card" id="contact-card" aria-labelledby="contact-card-heading">
  <div class="card-head"><h3 id="contact-card-heading">Contact details</h3><button type="button" class="card-close" data-card-toggle aria-controls="contact-card" aria-label="Hide contact details" title="Hide contact details">×</button></div>
  <div data-live="/_sandbox/inbox/fragments/threads/${thread.id}/contact">${renderContactCard(state, thread)}</div>
</aside>`;
}
