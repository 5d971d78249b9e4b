import type { HubSpotSandboxState } from '../state.js';
import { html, type SafeHtml } from './html.js';
import { teamsOf, usersOf, type RoutingRule } from './inbox-state.js';

const checked = (on: boolean) => (on ? html` checked` : '');
const PRIORITIES = [
  ['', 'None'],
  ['LOW', 'Low'],
  ['MEDIUM', 'Medium'],
  ['HIGH', 'High'],
] as const;

/**
 * The routing rule's fields, as HubSpot's routing settings word them
 * (https://knowledge.hubspot.com/conversations/set-your-conversations-routing-rules): the properties new
 * conversations start with, then "Automatically assign conversations" to specific users and teams or to the contact
 * owner. Used by the connect flow's routing step and by each account's Edit dialog; settings.js reads the fields
 * back by name.
 */
export function renderRoutingFields(state: HubSpotSandboxState, rule: RoutingRule): SafeHtml {
  const priority = rule.properties.priority ?? '';
  return html`<fieldset class="routing-properties"><legend>Properties for new conversations</legend>
  <div class="field-row">
    <label class="field">Priority <select name="priority">${PRIORITIES.map(([value, label]) => html`<option value="${value}"${value === priority ? html` selected` : ''}>${label}</option>`)}</select></label>
    <label class="field">Category <input type="text" name="category" value="${rule.properties.category ?? ''}" maxlength="60" placeholder="e.g. Orders"></label>
  </div>
</fieldset>
<fieldset class="routing-assign"><legend>Assignment</legend>
  <label class="check"><input type="checkbox" name="autoAssign"${checked(rule.autoAssign)}> Automatically assign conversations</label>
  <p class="hint">When it is off, new conversations wait unassigned for your team to pick up.</p>
  <fieldset class="assign-to"><legend>Assign to</legend>
    <label class="check"><input type="radio" name="assignTo" value="USERS_AND_TEAMS"${checked(rule.assignTo === 'USERS_AND_TEAMS')}> Specific users and teams</label>
    <div class="choices" role="group" aria-label="Users and teams">
      ${usersOf(state).map((u) => html`<label class="check"><input type="checkbox" name="userIds" value="${u.actorId}"${checked(rule.userIds.includes(u.actorId))}> ${u.name}</label>`)}
      ${teamsOf(state).map((t) => html`<label class="check"><input type="checkbox" name="teamIds" value="${t.id}"${checked(rule.teamIds.includes(t.id))}> ${t.name}</label>`)}
    </div>
    <label class="check"><input type="radio" name="assignTo" value="CONTACT_OWNER"${checked(rule.assignTo === 'CONTACT_OWNER')}> Contact owner</label>
  </fieldset>
</fieldset>`;
}

/** One line that says what the rule does, for an account's row. */
export function routingSummary(state: HubSpotSandboxState, rule: RoutingRule): string {
  const names = [
    ...usersOf(state)
      .filter((u) => rule.userIds.includes(u.actorId))
      .map((u) => u.name),
    ...teamsOf(state)
      .filter((t) => rule.teamIds.includes(t.id))
      .map((t) => t.name),
  ];
  const who = !rule.autoAssign
    ? 'left unassigned'
    : rule.assignTo === 'CONTACT_OWNER'
      ? "assigned to the contact's owner"
      : `assigned to ${names.join(', ') || 'nobody yet'}`;
  const properties = [
    rule.properties.priority ? `priority ${rule.properties.priority.toLowerCase()}` : '',
    rule.properties.category ? `category ${rule.properties.category}` : '',
  ].filter(Boolean);
  return `New conversations are ${who}${properties.length ? `, with ${properties.join(' and ')}` : ''}.`;
}
