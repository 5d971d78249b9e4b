import { html, type SafeHtml } from './html.js';

export type InboxView = 'inbox' | 'settings';

/** The page shell: top bar with the two views, the main region, the toast area for notifications. */
/** `version` and `unread` describe what the page was rendered from, so live updates start from exactly there. */
export function renderLayout(view: InboxView, main: SafeHtml, live: { version: string; unread: string[] }): SafeHtml {
  const tab = (name: InboxView, href: string, label: string) =>
    html`<a href="${href}"${view === name ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inbox · HubSpot sandbox</title>
<link rel="stylesheet" href="/_sandbox/inbox/assets/inbox.css">
<script type="module" src="/_sandbox/inbox/assets/inbox.js"></script>
</head>
<body class="view-${view}" data-version="${live.version}" data-unread="${live.unread.join(',')}">
<header class="topbar">
  <strong class="brand">HubSpot sandbox</strong>
  <nav aria-label="Views">${tab('inbox', '/', 'Inbox')}${tab('settings', '/?view=settings', 'Channel settings')}</nav>
</header>
<main>${main}</main>
<div class="toasts" aria-live="polite"></div>
</body>
</html>`;
}
