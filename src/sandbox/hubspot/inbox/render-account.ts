import type { HubSpotSandboxState, SandboxChannelAccount } from '../state.js';
import { html, type SafeHtml } from './html.js';
import { teamsOf, usersOf } from './inbox-state.js';
import { identifierLabel } from './queries.js';
import { routingOf } from './routing.js';

const checked = (on: boolean) => (on ? html` checked` : '');

function renderRouting(state: HubSpotSandboxState, account: SandboxChannelAccount): SafeHtml {
  const rule = routingOf(state, account.id);
  const priority = (value: string, label: string) => html`<option value="${value}"${rule.properties.priority === value || (!rule.properties.priority && !value) ? html` selected` : ''}>${label}</option>`;
  return html`<form class="routing" data-account="${account.id}" aria-label="Routing for ${account.name}">
  <fieldset><legend>Routing</legend>
    <label><input type="checkbox" name="autoAssign"${checked(rule.autoAssign)}> Automatically assign conversations</label>
    <div class="row"><label><input type="radio" name="assignTo" value="USERS_AND_TEAMS"${checked(rule.assignTo === 'USERS_AND_TEAMS')}> Specific users and teams:</label>
      ${usersOf(state).map((u) => html`<label><input type="checkbox" name="userIds" value="${u.actorId}"${checked(rule.userIds.includes(u.actorId))}> ${u.name}</label>`)}
      ${teamsOf(state).map((t) => html`<label><input type="checkbox" name="teamIds" value="${t.id}"${checked(rule.teamIds.includes(t.id))}> ${t.name}</label>`)}
    </div>
    <div class="row"><label><input type="radio" name="assignTo" value="CONTACT_OWNER"${checked(rule.assignTo === 'CONTACT_OWNER')}> Contact owner</label></div>
  </fieldset>
  <fieldset><legend>Conversation properties</legend>
    <div class="row"><label>Priority <select name="priority">${priority('', 'None')}${priority('LOW', 'Low')}${priority('MEDIUM', 'Medium')}${priority('HIGH', 'High')}</select></label>
    <label>Category <input type="text" name="category" value="${rule.properties.category ?? ''}" maxlength="60"></label></div>
  </fieldset>
  <div class="row"><button type="submit">Save routing</button></div>
</form>`;
}

/** One connected channel account: what it is, and everything an admin can do with it. */
export function renderAccount(state: HubSpotSandboxState, account: SandboxChannelAccount): SafeHtml {
  const channel = state.channels.get(account.channelId);
  const inbox = state.inboxes.get(account.inboxId);
  const inHelpDesk = inbox?.type === 'HELP_DESK';
  const target = [...state.inboxes.values()].find((i) => i.portalId === account.portalId && !i.archived && (i.type === 'HELP_DESK') !== inHelpDesk);
  const id = account.deliveryIdentifier;
  return html`<section class="account" data-account="${account.id}" aria-label="${account.name}">
  <h3>${account.name} <span class="badge ${account.authorized ? 'open' : 'off'}">${account.authorized ? 'On' : 'Off'}</span></h3>
  <p class="muted">${channel?.name ?? `Channel ${account.channelId}`} · in <span class="where">${inbox?.name ?? account.inboxId} (${inHelpDesk ? 'help desk' : 'inbox'})</span>${id ? html` · ${identifierLabel(id.type)} ${id.value}` : ''} · account ${account.id}</p>
  ${account.authorized ? '' : html`<p class="warning">Turned off: new messages are refused and reps cannot reply.</p>`}
  <form class="row rename" data-action="rename" data-account="${account.id}">
    <label>Name <input type="text" name="value" value="${account.name}" aria-label="Name of ${account.name}"></label>
    <button type="submit">Save name</button>
  </form>
  <div class="row">
    ${target ? html`<button type="button" data-action="move" data-account="${account.id}" data-value="${target.id}">${inHelpDesk ? `Move to ${target.name}` : 'Move to help desk'}</button>` : ''}
    ${account.authorized
      ? html`<button type="button" data-action="turn-off" data-account="${account.id}">Turn off</button>`
      : html`<button type="button" data-action="turn-on" data-account="${account.id}">Turn on</button>`}
    <button type="button" class="danger" data-reveal>Remove</button>
    <span class="confirm" hidden>Remove ${account.name}? Its conversations stay in the inbox. <button type="button" class="danger" data-action="remove" data-account="${account.id}">Yes, remove</button> <button type="button" data-cancel>Cancel</button></span>
  </div>
  <p class="error" role="alert" hidden></p>
  ${renderRouting(state, account)}
</section>`;
}
