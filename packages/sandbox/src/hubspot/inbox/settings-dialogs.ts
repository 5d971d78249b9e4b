import type { HubSpotSandboxState, SandboxChannelAccount } from '../state.js';
import { html, type SafeHtml } from './html.js';
import { routingOf } from './routing.js';
import { renderRoutingFields } from './settings-routing.js';

// Dialogs are rendered as <template>s inside the account's row. settings.js clones one into <body> and opens it as a
// modal, so a live refresh of the settings region never closes a dialog the admin is using.

function confirmDialog(
  account: SandboxChannelAccount,
  kind: string,
  title: string,
  body: SafeHtml,
  yes: string,
): SafeHtml {
  const titleId = `${kind}-title-${account.id}`;
  return html`<template data-dialog="${kind}"><dialog class="modal confirm" aria-labelledby="${titleId}">
  <h2 id="${titleId}">${title}</h2>
  ${body}
  <p class="error" role="alert" hidden></p>
  <div class="modal-actions"><button type="button" class="danger strong" data-confirm="${kind}" data-account="${account.id}">${yes}</button><button type="button" data-dismiss autofocus>Cancel</button></div>
</dialog></template>`;
}

/** "Turn off" asks first, and says what happens to messages meanwhile: the integration holds them, nothing is lost. */
export function turnOffDialog(account: SandboxChannelAccount, channelName: string): SafeHtml {
  return confirmDialog(
    account,
    'turn-off',
    `Turn off ${account.name}?`,
    html`<p>New messages wait until you turn it back on: ${channelName} holds them and delivers them once it is on again.</p>
<p>Reps cannot reply in its conversations while it is off. Its conversations stay in the inbox.</p>`,
    'Yes, turn off',
  );
}

export function removeDialog(account: SandboxChannelAccount, channelName: string): SafeHtml {
  return confirmDialog(
    account,
    'remove',
    `Remove ${account.name}?`,
    html`<p>Its conversations stay in the inbox, but it stops receiving messages and ${channelName} forgets its credentials.</p>
<p>To use it again, connect it again from Connect a channel.</p>`,
    'Yes, remove',
  );
}

/** Edit: the account's name and its routing, saved together. */
export function editDialog(state: HubSpotSandboxState, account: SandboxChannelAccount, where: string): SafeHtml {
  const titleId = `edit-title-${account.id}`;
  return html`<template data-dialog="edit"><dialog class="modal edit" aria-labelledby="${titleId}">
  <form class="edit-account" data-account="${account.id}" data-name="${account.name}" novalidate>
    <h2 id="${titleId}">Edit ${account.name}</h2>
    <p class="muted">${where}</p>
    <label class="field wide">Name <input type="text" name="name" value="${account.name}" maxlength="100" autocomplete="off"></label>
    ${renderRoutingFields(state, routingOf(state, account.id))}
    <p class="error" role="alert" hidden></p>
    <div class="modal-actions"><button type="submit" class="primary">Save</button><button type="button" data-dismiss>Cancel</button></div>
  </form>
</dialog></template>`;
}
