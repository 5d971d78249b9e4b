import type { HubSpotSandboxState, SandboxChannel, SandboxInbox } from '../state.js';
import { html, type SafeHtml } from './html.js';
import { DEFAULT_ROUTING } from './inbox-state.js';
import { renderChannelLogo } from './settings-logo.js';
import { renderRoutingFields } from './settings-routing.js';

// "Connect a channel" as HubSpot's help article walks it: choose the channel (logo, name, description), continue
// with it (its connection page opens in a popup), set the new account's routing rules, Next, then connect another
// account, go to the inbox, or Done. Rendered as a <template>; settings.js (connect-flow.js) runs the steps.

const STEPS = [
  ['choose', 'Choose a channel'],
  ['account', 'Connect an account'],
  ['routing', 'Routing rules'],
  ['done', 'Done'],
] as const;

function tile(channel: SandboxChannel): SafeHtml {
  return html`<li><button type="button" class="channel-tile" data-pick="${channel.id}">
  ${renderChannelLogo(channel, 'large')}
  <span class="tile-text"><span class="tile-name">${channel.name}</span><span class="tile-description">${channel.channelDescription ?? 'Custom channel'}</span></span>
</button></li>`;
}

function inboxOption(inbox: SandboxInbox): SafeHtml {
  return html`<option value="${inbox.id}">${inbox.name} (${inbox.type === 'HELP_DESK' ? 'help desk' : 'inbox'})</option>`;
}

function channelStep(channel: SandboxChannel, inboxes: SandboxInbox[]): SafeHtml {
  const intro = html`<div class="channel-intro">${renderChannelLogo(channel, 'large')}<div>
    <h3 tabindex="-1">${channel.name}</h3>
    <p>${channel.channelDescription ?? 'A custom channel registered by an app installed in this portal.'}</p>
  </div></div>`;
  if (!channel.channelAccountConnectionRedirectUrl) {
    return html`<section class="flow-step" data-step="channel" data-channel="${channel.id}" hidden>${intro}
  <p class="warning">This channel has no connection page (channelAccountConnectionRedirectUrl), so its app connects accounts itself.</p>
  <div class="modal-actions"><button type="button" data-back>Back</button></div>
</section>`;
  }
  return html`<section class="flow-step" data-step="channel" data-channel="${channel.id}" data-name="${channel.name}" hidden>${intro}
  <label class="field">Connect to <select name="inboxId">${inboxes.map(inboxOption)}</select></label>
  <p class="hint">${channel.name} opens in a new window: sign in or enter the account's details there. This window carries on once it is done.</p>
  <p class="error" role="alert" hidden></p>
  <div class="modal-actions"><button type="button" class="primary" data-continue>Continue with ${channel.name}</button><button type="button" data-back>Back</button></div>
</section>`;
}

/** The whole flow, one hidden section per step; `data-fill` spots are filled in by the page as the flow goes. */
export function renderConnectFlow(state: HubSpotSandboxState): SafeHtml {
  const portal = [...state.portals.values()][0];
  const channels = [...state.channels.values()].filter((c) => !c.archived);
  const inboxes = [...state.inboxes.values()].filter((i) => !i.archived && i.portalId === portal?.portalId);
  return html`<template data-dialog="connect"><dialog class="modal connect-flow" aria-labelledby="connect-flow-title">
  <div class="flow-head"><h2 id="connect-flow-title">Connect a channel</h2><button type="button" class="close" data-dismiss aria-label="Close">×</button></div>
  <ol class="flow-steps">${STEPS.map(([key, label]) => html`<li data-for="${key}">${label}</li>`)}</ol>
  <section class="flow-step" data-step="choose">
    <h3 tabindex="-1">Choose a channel</h3>
    ${
      channels.length
        ? html`<p class="hint">Channels from the apps installed in this portal. Pick one to connect an account of it.</p><ul class="channel-tiles">${channels.map(tile)}</ul>`
        : html`<p class="empty">No custom channel is registered yet. An app registers one with POST /conversations/v3/custom-channels.</p>`
    }
  </section>
  ${channels.map((c) => channelStep(c, inboxes))}
  <section class="flow-step" data-step="waiting" hidden>
    <h3 tabindex="-1">Finish in the <span data-fill="channel"></span> window</h3>
    <p>Enter the account's details in the window that opened. Once <span data-fill="channel"></span> is done, that window closes and you set up routing here.</p>
    <p class="blocked" hidden>The browser blocked the window. <a data-fill-href="url" target="_blank" rel="opener">Open the connection page</a></p>
    <div class="modal-actions"><button type="button" data-refocus>Show the window</button><button type="button" data-back>Cancel</button></div>
  </section>
  <section class="flow-step" data-step="routing" hidden>
    <form class="flow-routing" novalidate>
      <h3 tabindex="-1">Set up routing rules</h3>
      <p class="hint"><b data-fill="account"></b> is connected. Choose the properties its new conversations start with and who they go to. You can change this later with Edit.</p>
      ${renderRoutingFields(state, DEFAULT_ROUTING)}
      <p class="error" role="alert" hidden></p>
      <div class="modal-actions"><button type="submit" class="primary">Next</button></div>
    </form>
  </section>
  <section class="flow-step" data-step="done" hidden>
    <h3 tabindex="-1"><span data-fill="account"></span> is connected</h3>
    <p>New conversations from it arrive in <b data-fill="inbox"></b>. <span data-fill="routing"></span></p>
    <div class="modal-actions"><button type="button" class="primary" data-dismiss>Done</button><a class="button" data-fill-href="inbox" href="/">Go to the inbox</a><button type="button" data-another>Connect another account</button></div>
  </section>
</dialog></template>`;
}
