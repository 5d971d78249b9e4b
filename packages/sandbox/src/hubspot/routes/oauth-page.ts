import type { HubSpotSandboxState } from '../state.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const STYLE =
  '<style>body{font:15px system-ui;margin:3rem auto;max-width:34rem}fieldset{border:1px solid #ccd;border-radius:8px}button{font:inherit;padding:.5rem 1rem}</style>';

/** HubSpot's "Choose an account" + consent screen, reduced to one form that POSTs back to /oauth/authorize. */
export const authorizePage = {
  consent(state: HubSpotSandboxState, query: Record<string, string>): string {
    const hidden = ['client_id', 'redirect_uri', 'scope', 'optional_scope', 'state']
      .filter((k) => typeof query[k] === 'string')
      .map((k) => `<input type="hidden" name="${k}" value="${escape(query[k]!)}">`)
      .join('');
    const portals = [...state.portals.values()]
      .map(
        (p, i) =>
          `<label><input type="radio" name="portalId" value="${p.portalId}"${i === 0 ? ' checked' : ''}> Portal ${p.portalId}</label><br>`,
      )
      .join('');
    const scopes = (query.scope ?? '')
      .split(/[\s+]+/)
      .filter(Boolean)
      .map((s) => `<li><code>${escape(s)}</code></li>`)
      .join('');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Install app (HubSpot sandbox)</title><link rel="icon" href="data:,">${STYLE}</head><body>
<h1>Install app ${state.app.appId}</h1><p>The app asks for:</p><ul>${scopes}</ul>
<form method="post" action="/oauth/authorize">${hidden}
<fieldset><legend>Choose an account</legend>${portals}<label><input type="radio" name="portalId" value="new"> A new test portal</label></fieldset>
<p><button type="submit">Connect app</button></p></form></body></html>`;
  },
  error(message: string): string {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Install failed (HubSpot sandbox)</title><link rel="icon" href="data:,">${STYLE}</head><body><h1>This app cannot be installed</h1><p>${escape(message)}</p></body></html>`;
  },
};
