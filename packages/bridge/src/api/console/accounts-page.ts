import { html, type SafeHtml } from '../connect/html.js';
import type { AccountView, MessageBrief } from './accounts-data.js';
import { when } from './layout.js';

const link = (m: MessageBrief | undefined) =>
  m
    ? html`<a href="/console/messages/${encodeURIComponent(m.workflowId)}">${m.status ?? 'no status'}</a> at ${when(m.startTime)}`
    : html`<span class="muted">none yet</span>`;
const stateClass = { ok: 'ok', problem: 'bad', unknown: 'muted' } as const;

function webhook(view: AccountView): SafeHtml {
  const w = view.webhook;
  return html`<span class="${stateClass[w.state]}">${w.state}</span>${w.url ? html` · <code>${w.url}</code>` : ''}
${w.pending !== undefined ? html` · ${w.pending} update${w.pending === 1 ? '' : 's'} waiting` : ''}
${w.lastError ? html`<br><span class="bad">last error${w.lastErrorAt ? ` at ${when(w.lastErrorAt)}` : ''}: ${w.lastError}</span>` : ''}
<br><span class="source">${w.note}</span>`;
}

function token(view: AccountView): SafeHtml {
  const t = view.portalToken;
  if (!t)
    return html`<span class="muted">no OAuth tokens stored for portal ${view.account.portalId}: the api uses a configured token, which it cannot check</span>`;
  const expired = Date.parse(t.expiresAt) < Date.now();
  return html`<span class="${t.status === 'active' ? 'ok' : 'bad'}">${t.status === 'active' ? 'valid' : 'reinstall needed'}</span>${t.statusReason ? html` (${t.statusReason})` : ''}
<br><span class="source">portal ${view.account.portalId}’s tokens in the store; the access token ${expired ? 'has expired and is refreshed on its next use' : `expires ${when(t.expiresAt)}`}</span>`;
}

function card(view: AccountView): SafeHtml {
  const a = view.account;
  const held = view.held.map(
    (m) =>
      html`<li><a href="/console/messages/${encodeURIComponent(m.workflowId)}">${m.workflowId}</a> since ${when(m.startTime)}</li>`,
  );
  return html`<section class="card" aria-labelledby="acct-${a.accountId}"><h2 id="acct-${a.accountId}">${a.name}</h2>
<dl class="facts">
<dt>Provider</dt><dd>${a.provider}</dd>
<dt>Account id</dt><dd><code>${a.accountId}</code></dd>
<dt>Portal</dt><dd>${a.portalId}</dd>
<dt>On or off</dt><dd>${a.authorized ? html`<span class="ok">on</span>` : html`<span class="bad">off</span> (HubSpot turned it off: its messages are held)`}</dd>
<dt>Webhook</dt><dd>${webhook(view)}</dd>
<dt>HubSpot token</dt><dd>${token(view)}</dd>
<dt>Last inbound</dt><dd>${link(view.lastInbound)}</dd>
<dt>Last outbound</dt><dd>${link(view.lastOutbound)}</dd>
<dt>Held messages</dt><dd>${held.length ? html`<ul>${held}</ul>` : html`<span class="muted">none</span>`}</dd>
</dl>
${view.problems.length ? html`<p class="error">${view.problems.join('; ')}</p>` : ''}</section>`;
}

export function accountsBody(views: readonly AccountView[]): SafeHtml {
  return html`<h1>Accounts</h1>
<p class="source">From the store (accounts, on or off, portal tokens), Temporal visibility (last messages, held) and each provider’s API (webhook).</p>
${views.length ? views.map(card) : html`<p class="muted">No account is connected yet.</p>`}`;
}
