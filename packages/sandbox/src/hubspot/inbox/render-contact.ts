import type { HubSpotSandboxState, SandboxThread } from '../state.js';
import { html, type SafeHtml } from './html.js';
import { inboxStateOf, userName, usersOf } from './inbox-state.js';
import { contactOf, contactRecord, identifierLabel, messagesOf, type ThreadSummary } from './queries.js';
import { renderMessage, type FileLookup } from './render-message.js';

/** Where a contact's record page is: HubSpot opens the contact from the inbox's contact card. */
export const contactUrl = (contactId: string) => `/?view=contact&id=${encodeURIComponent(contactId)}`;

/** A select of the portal's reps; `data-action` says what choosing one does. */
export function userSelect(
  state: HubSpotSandboxState,
  label: string,
  current: string | undefined,
  attrs: SafeHtml,
  none: string,
): SafeHtml {
  const option = (value: string, name: string) =>
    html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${name}</option>`;
  return html`<label class="owner"><span>${label}</span> <select ${attrs}>${option('', none)}${usersOf(state).map((u) => option(u.actorId, u.name))}</select></label>`;
}

const ownerSelect = (state: HubSpotSandboxState, contactId: string) =>
  userSelect(
    state,
    'Contact owner',
    inboxStateOf(state).contactOwners.get(contactId),
    html`data-action="contact-owner" data-contact="${contactId}" aria-label="Contact owner"`,
    'No owner',
  );

/** The contact card beside a conversation (its live part; the heading and the hide button stay put). */
export function renderContactCard(state: HubSpotSandboxState, thread: SandboxThread): SafeHtml {
  const contact = contactOf(messagesOf(state, thread.id));
  const id = contact.deliveryIdentifier;
  const account = state.channelAccounts.get(thread.channelAccountId);
  const contactId = thread.associatedContactId;
  const others = contactId ? (contactRecord(state, contactId)?.threads.length ?? 1) - 1 : 0;
  return html`<dl>
  <dt>Name</dt><dd class="contact-name">${contact.name}</dd>
  ${id ? html`<dt>${identifierLabel(id.type)}</dt><dd class="contact-identifier">${id.value}</dd>` : ''}
  <dt>Channel</dt><dd>${account?.name ?? thread.channelAccountId}</dd>
  <dt>Thread</dt><dd>${thread.id}${thread.integrationThreadId ? html`<br><small>${thread.integrationThreadId}</small>` : ''}</dd>
</dl>
${
  contactId
    ? html`<p class="record-link"><a href="${contactUrl(contactId)}">View contact record</a><br><small>V-${contactId}${others > 0 ? ` · ${others} other conversation${others === 1 ? '' : 's'}` : ''}</small></p>
${ownerSelect(state, contactId)}`
    : ''
}`;
}

/** One conversation as the contact record logs it: what, where, who owns it, and its messages. */
function renderLoggedConversation(state: HubSpotSandboxState, s: ThreadSummary, files: FileLookup): SafeHtml {
  const messages = messagesOf(state, s.thread.id);
  const closed = s.thread.status === 'CLOSED';
  const started = messages[0]?.createdAt ?? s.thread.createdAt;
  return html`<article class="logged" data-thread="${s.thread.id}" aria-labelledby="logged-${s.thread.id}">
  <header>
    <h3 id="logged-${s.thread.id}">Conversation via ${s.accountName}</h3>
    <span class="badge ${closed ? 'closed' : 'open'}">${closed ? 'Closed' : 'Open'}</span>
    <p class="muted">Started <time datetime="${started}">${started.slice(0, 16).replace('T', ' ')}</time> · ${messages.length} message${messages.length === 1 ? '' : 's'} · ${s.owner ?? 'Unassigned'} · <a href="/?thread=${encodeURIComponent(s.thread.id)}">Open in inbox</a></p>
  </header>
  <ol class="messages log" aria-label="Messages of this conversation">${messages.map((m) => renderMessage(m, files))}</ol>
</article>`;
}

/** The contact record's live part: about the contact, then every conversation with its messages. */
export function renderContactRecord(state: HubSpotSandboxState, contactId: string, files: FileLookup): SafeHtml {
  const record = contactRecord(state, contactId);
  if (!record) return html`<p class="empty">Contact ${contactId} does not exist.</p>`;
  const owner = userName(state, inboxStateOf(state).contactOwners.get(contactId));
  return html`<header class="record-header">
  <h2>${record.name}</h2>
  <p class="muted">Contact V-${record.id}${owner ? ` · owned by ${owner}` : ''}</p>
</header>
<div class="record-body">
  <section class="about" aria-labelledby="about-heading">
    <h3 id="about-heading">About this contact</h3>
    <dl>
      <dt>Name</dt><dd class="contact-name">${record.name}</dd>
      ${record.identifiers.map((i) => html`<dt>${identifierLabel(i.type)}</dt><dd class="contact-identifier">${i.value}</dd>`)}
      <dt>Record id</dt><dd>V-${record.id}</dd>
    </dl>
    ${ownerSelect(state, contactId)}
  </section>
  <section class="activity" aria-labelledby="activity-heading">
    <h3 id="activity-heading">Conversations (${record.threads.length})</h3>
    ${
      record.threads.length
        ? record.threads.map((s) => renderLoggedConversation(state, s, files))
        : html`<p class="empty">No conversations with this contact yet.</p>`
    }
  </section>
</div>`;
}

/** The contact record page: a way back to the inbox, and the live record. */
export function renderContactPage(state: HubSpotSandboxState, contactId: string, files: FileLookup): SafeHtml {
  return html`<div class="record">
  <nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Inbox</a> <span aria-hidden="true">›</span> <span aria-current="page">Contact record</span></nav>
  <div data-live="/_sandbox/inbox/fragments/contacts/${encodeURIComponent(contactId)}">${renderContactRecord(state, contactId, files)}</div>
</div>`;
}
