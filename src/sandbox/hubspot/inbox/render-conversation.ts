import type { HubSpotSandboxState, SandboxThread } from '../state.js';
import { html, type SafeHtml } from './html.js';
import { inboxStateOf, usersOf } from './inbox-state.js';
import { contactOf, identifierLabel, messagesOf } from './queries.js';
import { renderMessage, type FileLookup } from './render-message.js';

const PRIORITY = { LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High' } as const;

/** A select of the portal's reps; `data-action` says what choosing one does. */
function userSelect(state: HubSpotSandboxState, label: string, current: string | undefined, attrs: SafeHtml, none: string): SafeHtml {
  const option = (value: string, name: string) => html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${name}</option>`;
  return html`<label class="owner">${label} <select ${attrs}>${option('', none)}${usersOf(state).map((u) => option(u.actorId, u.name))}</select></label>`;
}

export function renderConversationHeader(state: HubSpotSandboxState, thread: SandboxThread): SafeHtml {
  const contact = contactOf(messagesOf(state, thread.id));
  const account = state.channelAccounts.get(thread.channelAccountId);
  const closed = thread.status === 'CLOSED';
  const props = inboxStateOf(state).threadProperties.get(thread.id);
  return html`<h2>${contact.name}</h2>
<span class="badge ${closed ? 'closed' : 'open'}">${closed ? 'Closed' : 'Open'}</span>
${props?.priority ? html`<span class="badge">Priority: ${PRIORITY[props.priority]}</span>` : ''}
${props?.category ? html`<span class="badge">${props.category}</span>` : ''}
<span class="via">via ${account?.name ?? `account ${thread.channelAccountId}`}</span>
<span class="actions">
  ${userSelect(state, 'Owner', thread.assignedTo, html`data-action="assign" data-thread="${thread.id}" aria-label="Owner"`, 'Unassigned')}
  <button type="button" data-action="${closed ? 'reopen' : 'close'}" data-thread="${thread.id}">${closed ? 'Reopen' : 'Close conversation'}</button>
</span>`;
}

export function renderContactCard(state: HubSpotSandboxState, thread: SandboxThread): SafeHtml {
  const contact = contactOf(messagesOf(state, thread.id));
  const id = contact.deliveryIdentifier;
  const account = state.channelAccounts.get(thread.channelAccountId);
  const contactId = thread.associatedContactId;
  const owner = contactId ? inboxStateOf(state).contactOwners.get(contactId) : undefined;
  return html`<h3>Contact</h3>
<dl>
  <dt>Name</dt><dd class="contact-name">${contact.name}</dd>
  ${id ? html`<dt>${identifierLabel(id.type)}</dt><dd class="contact-identifier">${id.value}</dd>` : ''}
  ${contactId ? html`<dt>Contact record</dt><dd>V-${contactId}</dd>` : ''}
  <dt>Channel</dt><dd>${account?.name ?? thread.channelAccountId}</dd>
  <dt>Thread</dt><dd>${thread.id}${thread.integrationThreadId ? html`<br><small>${thread.integrationThreadId}</small>` : ''}</dd>
</dl>
${contactId ? userSelect(state, 'Contact owner', owner, html`data-action="contact-owner" data-contact="${contactId}" aria-label="Contact owner"`, 'No owner') : ''}`;
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
  if (channel.capabilities.allowOutgoingMessages === false) return `${channel.name} does not accept replies from HubSpot.`;
  return undefined;
}

/** "Up to 5 files, 200 KB each, image/*, application/pdf": the channel's attachment capabilities in words. */
function fileLimits(caps: Record<string, unknown>): string {
  const parts = [];
  if (typeof caps.maxFileAttachmentCount === 'number') parts.push(`up to ${caps.maxFileAttachmentCount} file(s)`);
  if (typeof caps.maxFileAttachmentSizeBytes === 'number') parts.push(`${Math.round(caps.maxFileAttachmentSizeBytes / 1024)} KB each`);
  if (Array.isArray(caps.allowedFileAttachmentMimeTypes)) parts.push(caps.allowedFileAttachmentMimeTypes.join(', '));
  const text = parts.join(', ');
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : '';
}

/** The reply editor: formatting toolbar over a contenteditable box, file picker, send. Limits come from the channel. */
export function renderEditor(state: HubSpotSandboxState, thread: SandboxThread): SafeHtml {
  const blocked = replyBlocked(state, thread);
  if (blocked) return html`<p class="editor notice" role="note">${blocked}</p>`;
  const caps = state.channels.get(state.channelAccounts.get(thread.channelAccountId)?.channelId ?? '')?.capabilities ?? {};
  const num = (v: unknown) => (typeof v === 'number' ? String(v) : '');
  const types = Array.isArray(caps.allowedFileAttachmentMimeTypes) ? caps.allowedFileAttachmentMimeTypes.join(',') : '';
  return html`<form class="editor" data-thread="${thread.id}" data-max-files="${num(caps.maxFileAttachmentCount)}" data-max-file-bytes="${num(caps.maxFileAttachmentSizeBytes)}" data-allowed-types="${types}" novalidate>
  <div class="toolbar" role="toolbar" aria-label="Formatting">
    <button type="button" data-format="bold" title="Bold" aria-label="Bold"><b>B</b></button>
    <button type="button" data-format="italic" title="Italic" aria-label="Italic"><i>I</i></button>
    <button type="button" data-format="link" title="Insert link" aria-label="Link"><u>Link</u></button>
    <button type="button" data-format="insertUnorderedList" title="Bulleted list" aria-label="Bulleted list">• List</button>
    <button type="button" data-format="insertOrderedList" title="Numbered list" aria-label="Numbered list">1. List</button>
  </div>
  <div class="compose" contenteditable="true" role="textbox" aria-multiline="true" aria-label="Reply" data-placeholder="Write a reply…"></div>
  <ul class="pending-files" aria-label="Files to send"></ul>
  <p class="error" role="alert" hidden></p>
  <div class="send-row">
    <span><label class="file-pick">Attach files <input type="file" name="files" multiple accept="${types}"></label><span class="limits">${fileLimits(caps)}</span></span>
    <button type="submit" class="primary">Send</button>
  </div>
</form>`;
}

export function renderConversation(state: HubSpotSandboxState, thread: SandboxThread, files: FileLookup): SafeHtml {
  return html`<section class="conversation" data-thread="${thread.id}" aria-label="Conversation">
  <header class="conversation-header" data-live="/_sandbox/inbox/fragments/threads/${thread.id}/header">${renderConversationHeader(state, thread)}</header>
  <ol class="messages" data-live-keyed="/_sandbox/inbox/fragments/threads/${thread.id}/messages">${renderMessages(state, thread, files)}</ol>
  ${renderEditor(state, thread)}
</section>
<aside class="contact-card" aria-label="Contact details" data-live="/_sandbox/inbox/fragments/threads/${thread.id}/contact">${renderContactCard(state, thread)}</aside>`;
}
