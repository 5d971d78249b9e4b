import { providerModules } from '../../providers/registry.js';
import { html, page, SafeHtml } from './html.js';
import type { ProviderSetup } from './providers.js';

/**
 * The query HubSpot opens the connection page with (the connection setup flow in
 * https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/guide; extra ids are
 * [INFERRED]).
 */
export interface ConnectContext {
  readonly accountToken: string;
  readonly portalId: string;
  readonly redirectUrl?: string;
}

function hidden(ctx: ConnectContext, provider: string): SafeHtml {
  return html`<input type="hidden" name="provider" value="${provider}"><input type="hidden" name="accountToken" value="${ctx.accountToken}">
<input type="hidden" name="portalId" value="${ctx.portalId}">${ctx.redirectUrl ? html`<input type="hidden" name="redirectUrl" value="${ctx.redirectUrl}">` : ''}`;
}

const steps = (current: 1 | 2) =>
  html`<ol class="steps" aria-label="Steps"><li${current === 1 ? html` aria-current="step"` : html` class="done"`}>Enter the credentials</li><li${current === 2 ? html` aria-current="step"` : ''}>Finish in HubSpot</li></ol>`;
const cancel = (label: string) => html`<button type="button" class="secondary" data-close>${label}</button>`;

/** One form per provider with a connect spec, in the registry's order, so the page works without JavaScript. */
function providerForms(ctx: ConnectContext): SafeHtml[] {
  return providerModules().flatMap(({ kind, connect }) =>
    connect
      ? [
          html`<form method="post" action="/connect" aria-label="${connect.label ?? connect.choice}"><fieldset class="card"><legend>${connect.legend}</legend>${hidden(ctx, kind)}
${new SafeHtml(connect.fieldsHtml)}</fieldset></form>
`,
        ]
      : [],
  );
}

/** Asks for one provider's credentials; one form per provider so the page works without JavaScript. */
export function connectForm(ctx: ConnectContext): string {
  return page(
    'Connect a channel',
    html`${steps(1)}<h1>Connect a channel to HubSpot</h1>
<p class="lead">Portal ${ctx.portalId}. Pick the messenger and enter its credentials; the bridge checks them before anything is saved.</p>
${providerForms(ctx)}<div class="actions">${cancel('Cancel')}</div>`,
  );
}

const safeLink = (url?: string) => (url && /^https?:\/\//i.test(url) ? url : undefined);

/**
 * The bridge's last page: the account is ready, HubSpot finishes it. With HubSpot's `redirectUrl` the admin goes back
 * to HubSpot, which creates the account and goes on (routing rules); without one, Done closes the window.
 */
export function connectedPage(setup: ProviderSetup, ctx: ConnectContext): string {
  const finish = safeLink(ctx.redirectUrl);
  return page(
    'Ready to connect',
    html`${steps(2)}<h1>${setup.accountName} is ready</h1>
<p class="ok" role="status">The credentials work and HubSpot has the account's name. Finish in HubSpot to create the channel account.</p>
${
  setup.shown.length
    ? html`<div class="card"><dl>${setup.shown.map((s) => html`<dt>${s.label}</dt><dd><code data-shown="${s.label}">${s.value}</code></dd>`)}</dl>
${setup.shown.some((s) => s.secret) ? html`<p class="muted">Copy these now: the bridge stores secrets encrypted and will not show them again.</p>` : ''}</div>`
    : ''
}
${
  finish
    ? html`<div class="actions"><a class="button" id="finish" href="${finish}">Finish connecting in HubSpot</a></div>
<p class="note">HubSpot then creates the account and asks how to route its new conversations.</p>`
    : html`<p>Return to HubSpot to finish: the account appears under the inbox's connected channels.</p><div class="actions"><button type="button" data-close>Done</button></div>`
}`,
  );
}

export function errorPage(title: string, message: string, ctx?: Partial<ConnectContext>): string {
  const retry =
    ctx?.accountToken && ctx.portalId
      ? html`<a class="button" href="/connect?${new URLSearchParams({ accountToken: ctx.accountToken, portalId: ctx.portalId, ...(ctx.redirectUrl ? { redirectUrl: ctx.redirectUrl } : {}) }).toString()}">Try again</a>`
      : '';
  return page(
    title,
    html`<h1>${title}</h1><p class="error" role="alert">${message}</p><div class="actions">${retry}${cancel('Close')}</div>`,
  );
}

export function installedPage(portalId: string): string {
  return page(
    'Installed',
    html`<h1>channel-bridge is installed</h1><p class="ok" role="status">HubSpot portal ${portalId} is connected to the bridge.
Next: in HubSpot, open Inbox settings → Channels → Connect a channel.</p>`,
  );
}
