import { html, type SafeHtml } from './html.js';

export type InboxView = 'inbox' | 'settings' | 'contact';

const TITLES: Record<InboxView, string> = { inbox: 'Inbox', settings: 'Channel settings', contact: 'Contact' };

// An orange speech bubble, inline so the page asks the sandbox for no /favicon.ico (which it does not serve).
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Cpath fill='%23ff7a59' d='M4 6a4 4 0 0 1 4-4h16a4 4 0 0 1 4 4v13a4 4 0 0 1-4 4H13l-7 6v-6H8a4 4 0 0 1-4-4z'/%3E%3Ccircle fill='%23fff' cx='11' cy='12.5' r='2'/%3E%3Ccircle fill='%23fff' cx='16' cy='12.5' r='2'/%3E%3Ccircle fill='%23fff' cx='21' cy='12.5' r='2'/%3E%3C/svg%3E";

/**
 * The page shell: top bar with the views and the notifications switch, the main region, the toast area.
 * `live` describes what the page was rendered from (change-feed version, unread message ids), so live updates
 * start from exactly there.
 */
export function renderLayout(view: InboxView, main: SafeHtml, live: { version: string; unread: string[] }): SafeHtml {
  const tab = (name: InboxView, href: string, label: string) =>
    html`<a href="${href}"${view === name ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${TITLES[view]} · HubSpot sandbox</title>
<link rel="icon" type="image/svg+xml" href="${FAVICON}">
<link rel="stylesheet" href="/_sandbox/inbox/assets/inbox.css">
<script type="module" src="/_sandbox/inbox/assets/inbox.js"></script>
</head>
<body class="view-${view}" data-version="${live.version}" data-unread="${live.unread.join(',')}">
<header class="topbar">
  <strong class="brand">HubSpot sandbox</strong>
  <nav aria-label="Views">${tab('inbox', '/', 'Inbox')}${tab('settings', '/?view=settings', 'Channel settings')}</nav>
  <label class="notify-switch" title="A notice, a desktop notification and a sound for each new customer message, and the count in the tab's title">
    <input type="checkbox" role="switch" id="notifications" checked> Notifications
  </label>
</header>
<main>${main}</main>
<div class="toasts" aria-live="polite"></div>
</body>
</html>`;
}
