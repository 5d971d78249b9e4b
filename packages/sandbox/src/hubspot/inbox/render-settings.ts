import type { HubSpotSandboxState } from '../state.js';
import { renderConnectFlow } from './connect-flow.js';
import { html, type SafeHtml } from './html.js';
import { renderAccount } from './render-account.js';

/**
 * Inbox settings → Channels: "Connect a channel" (a dialog that walks HubSpot's help article, connect-flow.ts) and
 * the connected accounts, each with Edit, Move, Turn off and Remove. The stylesheet is linked from here, the
 * settings view's own fragment; settings.js moves it into <head> so live refreshes never drop it.
 */
export function renderSettings(state: HubSpotSandboxState): SafeHtml {
  const accounts = [...state.channelAccounts.values()].filter((a) => !a.archived);
  return html`<link rel="stylesheet" href="/_sandbox/inbox/assets/settings.css">
<div class="settings-page">
  <div class="settings-head">
    <div>
      <h2>Channel settings</h2>
      <p class="muted">Connect an account of a channel to the inbox or help desk, then manage it here.</p>
    </div>
    <button type="button" class="primary" data-open-connect>Connect a channel</button>
  </div>
  <h3 class="settings-subhead">Connected channels</h3>
  ${
    accounts.length
      ? html`<div class="accounts">${accounts.map((a) => renderAccount(state, a))}</div>`
      : html`<p class="empty">No channel is connected yet. Click Connect a channel to connect an account.</p>`
  }
  ${renderConnectFlow(state)}
</div>`;
}
