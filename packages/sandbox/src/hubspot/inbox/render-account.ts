import type { HubSpotSandboxState, SandboxChannelAccount } from '../state.js';
import { html, type SafeHtml } from './html.js';
import { identifierLabel } from './queries.js';
import { routingOf } from './routing.js';
import { editDialog, removeDialog, turnOffDialog } from './settings-dialogs.js';
import { renderChannelLogo } from './settings-logo.js';
import { routingSummary } from './settings-routing.js';

/**
 * One connected channel account as a row of "Connected channels": what it is and where its conversations go, and
 * what an admin can do with it (HubSpot's article: edit, move to the help desk, turn off, remove). Edit, Turn off
 * and Remove open dialogs (settings.js); Move and Turn on act at once (`data-action`, inbox.js).
 */
export function renderAccount(state: HubSpotSandboxState, account: SandboxChannelAccount): SafeHtml {
  const channel = state.channels.get(account.channelId);
  const channelName = channel?.name ?? `Channel ${account.channelId}`;
  const inbox = state.inboxes.get(account.inboxId);
  const inHelpDesk = inbox?.type === 'HELP_DESK';
  const target = [...state.inboxes.values()].find(
    (i) => i.portalId === account.portalId && !i.archived && (i.type === 'HELP_DESK') !== inHelpDesk,
  );
  const where = `${channelName} · in ${inbox?.name ?? account.inboxId} (${inHelpDesk ? 'help desk' : 'inbox'})`;
  const id = account.deliveryIdentifier;
  const on = account.authorized;
  return html`<section class="account${on ? '' : ' is-off'}" data-account="${account.id}" aria-label="${account.name}">
  <div class="account-main">
    ${renderChannelLogo(channel ?? { name: channelName })}
    <div class="account-text">
      <h3>${account.name} <span class="badge ${on ? 'open' : 'off'}">${on ? 'On' : 'Off'}</span></h3>
      <p class="muted">${channelName} · in <span class="where">${inbox?.name ?? account.inboxId} (${inHelpDesk ? 'help desk' : 'inbox'})</span>${id ? html` · ${identifierLabel(id.type)} <span class="identifier">${id.value}</span>` : ''} · account ${account.id}</p>
      <p class="routing-summary">${routingSummary(state, routingOf(state, account.id))}</p>
    </div>
    <div class="account-actions">
      <button type="button" data-open="edit" data-account="${account.id}">Edit</button>
      ${target ? html`<button type="button" data-action="move" data-account="${account.id}" data-value="${target.id}">${inHelpDesk ? `Move to ${target.name}` : 'Move to help desk'}</button>` : ''}
      ${
        on
          ? html`<button type="button" data-open="turn-off" data-account="${account.id}">Turn off</button>`
          : html`<button type="button" data-action="turn-on" data-account="${account.id}">Turn on</button>`
      }
      <button type="button" class="danger" data-open="remove" data-account="${account.id}">Remove</button>
    </div>
  </div>
  ${on ? '' : html`<p class="warning">Turned off: new messages wait until you turn it back on, and reps cannot reply.</p>`}
  <p class="error" role="alert" hidden></p>
  ${editDialog(state, account, where)}
  ${turnOffDialog(account, channelName)}
  ${removeDialog(account, channelName)}
</section>`;
}
