import { STYLE } from './style.js';

/** HTML that has been escaped (or built only from escaped parts). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const escapeText = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeText(String(value));
}

/** Tagged template: every interpolated value is escaped unless it is already SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

const MARK = new SafeHtml(
  `<svg viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="7" fill="#ff7a59"/><path fill="#fff" d="M7 10a3 3 0 0 1 3-3h9a3 3 0 0 1 3 3v6a3 3 0 0 1-3 3h-5l-4 3.5V19a3 3 0 0 1-3-3z"/><path fill="#ffd2c4" d="M24 13h.5a2.5 2.5 0 0 1 2.5 2.5v5a2.5 2.5 0 0 1-2.5 2.5V26l-3.5-3h-4a2.5 2.5 0 0 1-2.3-1.5"/></svg>`,
);

// The page is HubSpot's popup (window.open): a script-opened window may close itself. One opened by hand cannot, so
// the page says so instead of doing nothing.
const CLOSE_SCRIPT =
  new SafeHtml(`<script>document.addEventListener('click',function(e){if(!e.target.closest('[data-close]'))return;window.close();
setTimeout(function(){var n=document.querySelector('[data-close-note]');if(n)n.hidden=false;},300);});</script>`);

/**
 * The page shell: a bar naming the bridge (and what the page is for), the page's own content, and the script behind
 * `data-close` buttons. `Cache-Control: no-store` is set by the routes since pages may show a generated secret.
 */
export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title} · channel-bridge</title><link rel="icon" href="data:,"><style>${new SafeHtml(STYLE)}</style></head>
<body><header class="bar">${MARK}<span>channel-bridge</span><span class="for">Connect a channel to HubSpot</span></header>
<main>${body}<p class="note" data-close-note hidden>You can close this window now.</p></main>${CLOSE_SCRIPT}</body></html>`
    .value;
}
