import { html, SafeHtml } from '../connect/html.js';
import { CONSOLE_STYLE } from './style.js';

export type ConsoleSection = 'overview' | 'messages' | 'accounts';

const SECTIONS: readonly [ConsoleSection, string, string][] = [
  ['overview', 'Overview', '/console'],
  ['messages', 'Messages', '/console/messages'],
  ['accounts', 'Accounts', '/console/accounts'],
];

/** The shell of every signed-in page: the bar with the sections and Sign out, then the page's content. */
export function consolePage(
  title: string,
  section: ConsoleSection,
  csrf: string,
  body: SafeHtml,
  script?: SafeHtml,
): string {
  const nav = SECTIONS.map(
    ([id, label, href]) =>
      html`<li><a href="${href}"${id === section ? new SafeHtml(' aria-current="page"') : ''}>${label}</a></li>`,
  );
  return shell(
    title,
    html`<header class="bar"><span class="name">channel-bridge console</span><nav aria-label="Console sections"><ul>${nav}</ul></nav>
<form method="post" action="/console/logout"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">Sign out</button></form></header>
<main id="main">${body}</main>${script ?? ''}`,
  );
}

/** The login page: no bar, one form. */
export function loginPage(error?: string): string {
  return shell(
    'Sign in',
    html`<header class="bar"><span class="name">channel-bridge console</span></header><main id="main" class="login">
<h1>Sign in to the console</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/console/login" class="card">
<label for="token">Admin token (BRIDGE_ADMIN_TOKEN)</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<p class="source">Kept in an http-only cookie for this browser only, never in the address.</p>
<button type="submit">Sign in</button></form></main>`,
  );
}

function shell(title: string, body: SafeHtml): string {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin"><title>${title} · channel-bridge console</title><link rel="icon" href="data:,"><style>${new SafeHtml(CONSOLE_STYLE)}</style></head>
<body>${body}</body></html>`.value;
}

/** A table whose cells carry their column's name, so that at 200 % zoom each row reads as a labelled card. */
export function table(
  caption: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  empty: string,
): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  const body = rows.map(
    (cells) => html`<tr>${cells.map((cell, i) => html`<td data-label="${columns[i] ?? ''}">${cell}</td>`)}</tr>`,
  );
  return html`<table><caption class="muted">${caption}</caption><thead><tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead><tbody>${body}</tbody></table>`;
}

export const when = (iso: string | undefined) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—');
