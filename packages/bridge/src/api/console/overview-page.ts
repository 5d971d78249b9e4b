import { html, type SafeHtml } from '../connect/html.js';
import { humanDuration } from '../../inspect/proto-values.js';
import { table, when } from './layout.js';
import { CALL_WINDOW_MINUTES, RATE_MINUTES, type Overview, type Reachability } from './overview-data.js';

const VISIBILITY = 'Temporal visibility (the message workflows’ search attributes)';

function figure(label: string, value: unknown, source: string): SafeHtml {
  return html`<div class="card"><span class="figure">${value ?? '—'}</span><span class="label">${label}</span><p class="source">${source}</p></div>`;
}

const reachable = (r: Reachability) =>
  r.ok
    ? html`<span class="ok">reachable</span>`
    : html`<span class="bad">unreachable</span> <span class="muted">${r.error}</span>`;
const rate = (n: number | undefined) => (n === undefined ? undefined : n.toFixed(n < 10 ? 1 : 0));

export function overviewBody(o: Overview, now = Date.now()): SafeHtml {
  const oldest = o.oldestWaiting;
  const windowSeconds = o.limit.intervalMs / 1000;
  const calls = (o.calls?.portals ?? []).map((p) => [
    p.portalId,
    `${p.calls}`,
    html`<span class="${p.inWindow >= o.limit.max ? 'bad' : ''}">${p.inWindow} of ${o.limit.max}</span>`,
    p.rateLimited > 0 ? html`<span class="bad">${p.rateLimited}</span>` : '0',
    p.heldUntilMs === undefined
      ? 'no'
      : html`<span class="bad">${humanDuration(Math.max(0, p.heldUntilMs - now))} more (until ${when(new Date(p.heldUntilMs).toISOString())})</span>`,
    p.tokenStatus ?? html`<span class="muted">no OAuth tokens stored (a configured token)</span>`,
  ]);
  return html`<h1>Overview</h1>
${o.problems.length ? html`<div class="error" role="alert"><p>Some figures could not be read:</p><ul>${o.problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}
<h2>Messages</h2>
<div class="grid">
${figure('inbound per minute', rate(o.perMinute?.inbound), `${VISIBILITY}: started in the last ${RATE_MINUTES} minutes, divided by ${RATE_MINUTES}`)}
${figure('outbound per minute', rate(o.perMinute?.outbound), `${VISIBILITY}: started in the last ${RATE_MINUTES} minutes, divided by ${RATE_MINUTES}`)}
${figure('published (last hour)', o.lastHour?.published, `${VISIBILITY}: inbound started in the last hour, status PUBLISHED`)}
${figure('sent (last hour)', o.lastHour?.sent, `${VISIBILITY}: replies started in the last hour, status SENT or READ`)}
${figure('failed (last hour)', o.lastHour?.failed, `${VISIBILITY}: started in the last hour, status FAILED`)}
${figure('held now', o.held, `${VISIBILITY}: running with status HELD (the account is off)`)}
</div>
<h2>Oldest waiting message</h2>
${
  oldest
    ? html`<p><a href="/console/messages/${encodeURIComponent(oldest.workflowId)}">${oldest.workflowId}</a>, ${oldest.status ?? 'no status yet'}, waiting ${humanDuration(Math.max(0, now - Date.parse(oldest.startTime)))} (since ${when(oldest.startTime)}); ${o.waiting} message${o.waiting === 1 ? '' : 's'} in flight.</p>`
    : html`<p class="muted">${o.waiting === undefined ? 'unknown' : 'No message is waiting: every message workflow has finished.'}</p>`
}
<p class="source">${VISIBILITY}: the running message workflow that started first.</p>
<h2>HubSpot calls against each portal’s limit</h2>
${table(`Last ${CALL_WINDOW_MINUTES} minutes; limit ${o.limit.max} calls per ${windowSeconds} s per portal`, ['Portal', `Calls (${CALL_WINDOW_MINUTES} min)`, `Calls in the last ${windowSeconds} s`, `429s (${CALL_WINDOW_MINUTES} min)`, 'Held after a 429', 'Portal token'], calls, o.calls ? 'No account is connected yet.' : 'Unknown: the store could not be read.')}
<p class="source">The store’s call slots, which every worker takes before each request to HubSpot’s API: calls are the requests let through, counted per minute (so the last ${CALL_WINDOW_MINUTES} minutes reach back to the start of the minute they began in); the last ${windowSeconds} s counts the slots in the window now, each dated when its call ended (when it began, while it runs); 429s are HubSpot’s 429 answers, each of which holds the portal’s calls in every worker until its Retry-After. The limit is the worker’s default pacing (100 per 10 s), not read from the worker. Portal token: the store’s OAuth tokens (listPortals).</p>
<h2>Dependencies and workers</h2>
<dl class="facts"><dt>Temporal</dt><dd>${reachable(o.temporal)}</dd><dt>Store</dt><dd>${reachable(o.store)}</dd></dl>
${
  o.pollers?.length === 0
    ? html`<p class="bad">No worker is polling the bridge’s task queue: no message moves until one starts.</p>`
    : table(
        'Workers polling the bridge’s task queue (Temporal’s DescribeTaskQueue)',
        ['Polls for', 'Worker', 'Last poll'],
        (o.pollers ?? []).map((p) => [p.kind, p.identity, when(p.lastAccessTime)]),
        'Unknown: Temporal is unreachable.',
      )
}`;
}
