import { Router } from 'express';
import type { HubSpotSandboxState } from './state.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain read-only inbox: every thread and its messages. Refreshes itself every 2 s. */
export function inboxPage(state: HubSpotSandboxState): Router {
  const router = Router();
  router.get('/', function inbox(_req, res) {
    const threads = [...state.threads.values()].map((t) => {
      const messages = [...state.messages.values()].filter((m) => m.conversationsThreadId === t.id);
      const from = messages[0]?.senders[0];
      const rows = messages
        .map((m) => `<li class="${m.direction.toLowerCase()}"><time>${escape(m.timestamp)}</time> <b>${escape(m.senders[0]?.name ?? m.senders[0]?.deliveryIdentifier.value ?? '')}</b>: ${escape(m.text)}</li>`)
        .join('');
      return `<section><h2>Thread ${escape(t.id)} · ${escape(from?.name ?? from?.deliveryIdentifier.value ?? 'unknown')} · ${t.status}</h2><ul>${rows}</ul></section>`;
    });
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>HubSpot inbox (sandbox)</title>
<meta http-equiv="refresh" content="2"><style>body{font:15px system-ui;margin:2rem;max-width:60rem}section{border:1px solid #ccd;border-radius:8px;padding:0 1rem;margin:1rem 0}li{margin:.3rem 0;list-style:none}time{color:#789;font-size:.8em}</style></head>
<body><h1>HubSpot inbox (sandbox)</h1><p>${state.messages.size} messages in ${state.threads.size} threads.</p>${threads.join('') || '<p>No conversations yet. Send a message as a customer.</p>'}</body></html>`);
  });
  return router;
}
