import type { HubSpotSandboxState } from '../state.js';
import { html, type SafeHtml } from './html.js';
import { listThreads, type ThreadFilter } from './queries.js';
import { renderConversation } from './render-conversation.js';
import type { FileLookup } from './render-message.js';
import { filterQuery, renderFilters, renderThreadList } from './render-threads.js';

export const renderThreadListFor = (state: HubSpotSandboxState, filter: ThreadFilter, selected?: string) =>
  renderThreadList(listThreads(state, filter), filter, selected);

/** The inbox view: filters and threads on the left, the selected conversation and its contact on the right. */
export function renderInbox(
  state: HubSpotSandboxState,
  filter: ThreadFilter,
  selected: string | undefined,
  files: FileLookup,
): SafeHtml {
  const thread = selected ? state.threads.get(selected) : undefined;
  const listUrl = `/_sandbox/inbox/fragments/threads${filterQuery(filter, selected ? { thread: selected } : {})}`;
  const nothing = selected ? `Conversation ${selected} does not exist.` : 'Pick a conversation on the left.';
  return html`<div class="inbox${thread ? ' has-thread' : ''}">
  <nav class="thread-pane" aria-label="Conversations">
    ${renderFilters(state, filter)}
    <div class="thread-list" data-live="${listUrl}">${renderThreadListFor(state, filter, selected)}</div>
  </nav>
  ${thread ? renderConversation(state, thread, files, `/${filterQuery(filter)}`) : html`<section class="conversation none"><p class="empty">${nothing}</p></section>`}
</div>`;
}
