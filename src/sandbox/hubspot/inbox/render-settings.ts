import type { HubSpotSandboxState, SandboxChannel } from '../state.js';
import { html, type SafeHtml } from './html.js';
import { renderAccount } from './render-account.js';

function renderConnect(state: HubSpotSandboxState, channel: SandboxChannel): SafeHtml {
  const inboxes = [...state.inboxes.values()].filter((i) => !i.archived);
  const canConnect = Boolean(channel.channelAccountConnectionRedirectUrl);
  return html`<li class="channel">
  ${channel.channelLogoUrl ? html`<img src="${channel.channelLogoUrl}" alt="" width="32" height="32">` : ''}
  <b>${channel.name}</b> ${channel.channelDescription ? html`<span class="muted">${channel.channelDescription}</span>` : ''}
  ${canConnect
    ? html`<form class="row connect" data-channel="${channel.id}">
    <label>Connect to <select name="inboxId">${inboxes.map((i) => html`<option value="${i.id}">${i.name} (${i.type === 'HELP_DESK' ? 'help desk' : 'inbox'})</option>`)}</select></label>
    <button type="submit" class="primary">Connect ${channel.name}</button>
  </form>`
    : html`<p class="muted">This channel has no connection page (channelAccountConnectionRedirectUrl), so its app connects accounts itself.</p>`}
</li>`;
}

/** Inbox settings → Channels: connect a channel, then each connected account with its routing and admin actions. */
export function renderSettings(state: HubSpotSandboxState): SafeHtml {
  const channels = [...state.channels.values()].filter((c) => !c.archived);
  const accounts = [...state.channelAccounts.values()].filter((a) => !a.archived);
  return html`<h2>Channel settings</h2>
<section class="connect-channel" aria-label="Connect a channel">
  <h3>Connect a channel</h3>
  ${channels.length
    ? html`<ul class="channels">${channels.map((c) => renderConnect(state, c))}</ul>`
    : html`<p class="empty">No custom channel is registered yet. An app registers one with POST /conversations/v3/custom-channels.</p>`}
</section>
<h3>Connected channels</h3>
${accounts.length ? accounts.map((a) => renderAccount(state, a)) : html`<p class="empty">No channel is connected yet.</p>`}`;
}
