import type { HubSpotSandboxState } from '../state.js';
import { html, type SafeHtml } from './html.js';
import type { ThreadFilter, ThreadSummary } from './queries.js';
import { previewOf } from './render-message.js';

/** Query string that keeps the current filters while moving between threads. */
export function filterQuery(filter: ThreadFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (filter.q) params.set('q', filter.q);
  if (filter.accountId) params.set('account', filter.accountId);
  if (filter.inboxId) params.set('inbox', filter.inboxId);
  if (filter.status && filter.status !== 'OPEN') params.set('status', filter.status);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

function preview(s: ThreadSummary): string {
  const last = s.last;
  if (!last) return 'No messages yet';
  const text = previewOf(last) || (last.attachments.length ? 'Attachment' : '');
  return last.direction === 'OUTGOING' ? `You: ${text}` : text;
}

function renderItem(s: ThreadSummary, filter: ThreadFilter, selected?: string): SafeHtml {
  const current = s.thread.id === selected;
  return html`<li class="thread${current ? ' selected' : ''}${s.unread ? ' unread' : ''}" data-thread="${s.thread.id}">
  <a href="/${filterQuery(filter, { thread: s.thread.id })}"${current ? html` aria-current="true"` : ''}>
    <span class="who">${s.contact.name}</span>
    <time datetime="${s.last?.createdAt ?? s.thread.createdAt}">${(s.last?.createdAt ?? s.thread.createdAt).slice(11, 16)}</time>
    <span class="preview">${preview(s)}</span>
    <span class="labels"><span class="account">${s.accountName}</span>${s.owner ? html` · <span class="owner">${s.owner}</span>` : ''}${s.thread.status === 'CLOSED' ? html` <span class="badge closed">Closed</span>` : ''}${s.unread ? html` <span class="badge unread-count" title="Unread messages">${s.unread}</span>` : ''}</span>
  </a>
</li>`;
}

/** The list of threads for the current filter, or a line that says why it is empty. */
export function renderThreadList(summaries: ThreadSummary[], filter: ThreadFilter, selected?: string): SafeHtml {
  if (summaries.length === 0) {
    const why =
      filter.q || filter.accountId || filter.inboxId
        ? 'No conversations match these filters.'
        : 'No conversations yet. Messages from customers appear here.';
    return html`<p class="empty">${why}</p>`;
  }
  return html`<ul class="threads">${summaries.map((s) => renderItem(s, filter, selected))}</ul>`;
}

/** Search box, channel and inbox filters and open/closed switch: a plain GET form, so the URL keeps the view. */
export function renderFilters(state: HubSpotSandboxState, filter: ThreadFilter): SafeHtml {
  const accounts = [...state.channelAccounts.values()].filter((a) => !a.archived);
  const inboxes = [...state.inboxes.values()].filter((i) => !i.archived);
  const status = filter.status ?? 'OPEN';
  const option = (value: string, label: string, current?: string) =>
    html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${label}</option>`;
  return html`<form class="filters" method="get" action="/" role="search">
  <input type="search" name="q" value="${filter.q ?? ''}" placeholder="Search contacts and messages" aria-label="Search">
  <select name="account" aria-label="Channel">
    ${option('', 'All channels', filter.accountId)}
    ${accounts.map((a) => option(a.id, a.name, filter.accountId))}
  </select>
  <select name="inbox" aria-label="Inbox">
    ${option('', 'All inboxes', filter.inboxId)}
    ${inboxes.map((i) => option(i.id, i.name, filter.inboxId))}
  </select>
  <select name="status" aria-label="Status">
    ${option('OPEN', 'Open', status)}${option('CLOSED', 'Closed', status)}${option('ALL', 'All', status)}
  </select>
  <button type="submit">Filter</button>
</form>`;
}
