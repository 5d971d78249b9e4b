import { html, SafeHtml } from '../connect/html.js';
import type { ListedMessage, ListFilter, MessageReport } from '../../inspect/index.js';
import { humanDuration } from '../../inspect/proto-values.js';
import type { Account } from '../../store/types.js';
import { table, when } from './layout.js';

const STATUSES = ['ACCEPTED', 'HELD', 'PUBLISHED', 'SENT', 'READ', 'FAILED'];

function select(
  id: string,
  label: string,
  value: string | undefined,
  options: readonly (readonly [string, string])[],
): SafeHtml {
  const choices = [['', 'any'] as const, ...options].map(
    ([v, text]) => html`<option value="${v}"${v === (value ?? '') ? new SafeHtml(' selected') : ''}>${text}</option>`,
  );
  return html`<div><label for="${id}">${label}</label><select id="${id}" name="${id}">${choices}</select></div>`;
}

const messageLink = (workflowId: string) =>
  html`<a href="/console/messages/${encodeURIComponent(workflowId)}">${workflowId}</a>`;

/** The search form (any id) and the filters, then the matching messages, newest first. */
export function messageListBody(
  filter: ListFilter & { q?: string },
  accounts: readonly Account[],
  messages: readonly ListedMessage[] | undefined,
  error?: string,
): SafeHtml {
  const rows = (messages ?? []).map((m) => [
    when(m.startTime),
    m.status ?? '—',
    m.direction ?? '—',
    m.accountId ?? '—',
    messageLink(m.workflowId),
    m.hubspotMessageId ?? '—',
    m.retry.label,
  ]);
  return html`<h1>Messages</h1>
<form method="get" action="/console/messages" class="card" role="search">
<div class="filters">
<div class="wide"><label for="q">Find a message by any id (workflow id, provider message id or HubSpot message id)</label><input id="q" name="q" type="search" value="${filter.q ?? ''}" autocomplete="off"></div>
${select(
  'account',
  'Account',
  filter.account,
  accounts.map((a) => [a.accountId, `${a.name} (${a.provider}, ${a.accountId})`]),
)}
${select('direction', 'Direction', filter.direction, [
  ['inbound', 'inbound'],
  ['outbound', 'outbound'],
])}
${select(
  'status',
  'Status',
  filter.status,
  STATUSES.map((s) => [s, s.toLowerCase()]),
)}
<div><label for="since">Since (30m, 12h, 7d or an ISO time)</label><input id="since" name="since" value="${filter.since ?? ''}"></div>
<div><label for="until">Until</label><input id="until" name="until" value="${filter.until ?? ''}"></div>
<div><button type="submit">Search</button></div>
</div></form>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
${messages ? table(`${messages.length} message${messages.length === 1 ? '' : 's'}, newest first`, ['Started', 'Status', 'Direction', 'Account', 'Workflow id', 'HubSpot message', 'Retry'], rows, 'No message matches these filters.') : ''}`;
}

const outcomeClass = (outcome: string | undefined) =>
  outcome === 'failed' || outcome === 'timed-out' || outcome === 'terminated'
    ? 'bad'
    : outcome === 'running'
      ? 'warn'
      : '';

/** One message: its facts, every run, the timeline of its latest run, and Retry when `messages retry` would act. */
export function messageBody(report: MessageReport, csrf: string, notice?: string): SafeHtml {
  const facts: [string, unknown][] = [
    [
      'Status',
      html`<span id="message-status">${report.status ?? '(none)'} (workflow ${report.executionStatus})</span>`,
    ],
    ['Direction', report.direction && `${report.direction}${report.provider ? ` via ${report.provider}` : ''}`],
    ['Account', report.accountId],
    ['Conversation', report.conversationKey],
    ['Provider message id', report.providerMessageId],
    ['HubSpot message id', report.hubspotMessageId],
    ['Started', when(report.startTime)],
    ['Closed', report.closeTime && when(report.closeTime)],
    ['Temporal UI', html`<a href="${report.uiUrl}" rel="noreferrer">open this run in Temporal’s UI</a>`],
    ['Retry', `${report.retry.label}: ${report.retry.reason}`],
  ];
  const steps = report.timeline.map((e) => [
    when(e.at),
    e.name === e.kind ? e.kind : `${e.kind} ${e.name}`,
    html`<span class="${outcomeClass(e.outcome)}">${e.outcome ?? ''}</span>`,
    e.kind === 'activity' && e.attempts ? `${e.attempts}` : '',
    e.durationMs === undefined ? '' : humanDuration(Math.max(0, e.durationMs)),
    e.errors.length ? html`<ul class="errors">${e.errors.map((x) => html`<li>${x}</li>`)}</ul>` : (e.detail ?? ''),
  ]);
  const runs = report.attempts.map((r) => [
    when(r.startTime),
    when(r.closeTime),
    r.executionStatus,
    r.status ?? '—',
    r.runId,
  ]);
  return html`<p><a href="/console/messages">← All messages</a></p>
<h1>${report.workflowId}</h1>
<div id="live" role="status" aria-live="polite">${notice ? html`<p class="notice">${notice}</p>` : ''}</div>
<dl class="facts">${facts.filter(([, v]) => v).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
${report.retry.retryable ? html`<form method="post" action="/console/messages/${encodeURIComponent(report.workflowId)}/retry"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">Retry</button></form>` : ''}
${report.attempts.length > 1 ? html`<h2>Runs, oldest first</h2>${table('The timeline below is the latest run’s', ['Started', 'Closed', 'Workflow', 'Status', 'Run id'], runs, '')}` : ''}
<h2>Timeline</h2>
${table('Steps of the latest run, from its Temporal history', ['At', 'Step', 'Outcome', 'Attempts', 'Took', 'Errors or detail'], steps, 'The history is empty.')}`;
}

/**
 * After a Retry: polls the message's state until its new run settles, says so in the live region, then reloads the
 * page for the new timeline. Without JavaScript the page still works: reload it by hand.
 */
export function retryWatchScript(workflowId: string, nonce: string): SafeHtml {
  const url = JSON.stringify(`/console/messages/${encodeURIComponent(workflowId)}/state`).replace(/</g, '\\u003c');
  return new SafeHtml(`<script nonce="${nonce}">(function(){var live=document.getElementById('live');var tries=0;
function say(t){live.innerHTML='';var p=document.createElement('p');p.className='notice';p.textContent=t;live.appendChild(p);}
function poll(){fetch(${url},{credentials:'same-origin'}).then(function(r){return r.json();}).then(function(s){
if(s.executionStatus==='RUNNING'&&s.status!=='HELD'&&tries++<120){say('Retrying: the new run is '+(s.status||'starting')+'…');setTimeout(poll,1000);return;}
say('The new run settled: '+(s.status||'no status')+' (workflow '+s.executionStatus+'). Reloading the timeline…');setTimeout(function(){location.replace(location.pathname);},800);
}).catch(function(){say('Could not read the message state; reload the page.');});}
poll();})();</script>`);
}
