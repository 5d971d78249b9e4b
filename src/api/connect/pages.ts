import { html, page, type SafeHtml } from './html.js';
import type { ProviderSetup } from './providers.js';

/** The query HubSpot opens the connection page with (the connection setup flow in https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/guide; extra ids are [INFERRED]). */
export interface ConnectContext {
  readonly accountToken: string;
  readonly portalId: string;
  readonly redirectUrl?: string;
}

function hidden(ctx: ConnectContext, provider: string): SafeHtml {
  return html`<input type="hidden" name="provider" value="${provider}"><input type="hidden" name="accountToken" value="${ctx.accountToken}">
<input type="hidden" name="portalId" value="${ctx.portalId}">${ctx.redirectUrl ? html`<input type="hidden" name="redirectUrl" value="${ctx.redirectUrl}">` : ''}`;
}

/** Asks for one provider's credentials; one form per provider so the page works without JavaScript. */
export function connectForm(ctx: ConnectContext): string {
  return page('Connect a channel', html`<h1>Connect a channel to HubSpot</h1>
<p class="muted">Portal ${ctx.portalId}. Pick the messenger and enter its credentials; the bridge checks them before anything is saved.</p>
<form method="post" action="/connect" aria-label="Telegram"><fieldset><legend><b>Telegram bot</b></legend>${hidden(ctx, 'telegram')}
<label>Bot token (from @BotFather) <input type="password" name="botToken" autocomplete="off" required placeholder="123456789:AA…"></label>
<button type="submit">Connect Telegram bot</button></fieldset></form>
<form method="post" action="/connect" aria-label="WhatsApp"><fieldset><legend><b>WhatsApp Business number</b></legend>${hidden(ctx, 'whatsapp')}
<label>Phone number id <input type="text" name="phoneNumberId" inputmode="numeric" required></label>
<label>Access token <input type="password" name="accessToken" autocomplete="off" required></label>
<label>App secret <input type="password" name="appSecret" autocomplete="off" required></label>
<button type="submit">Connect WhatsApp number</button></fieldset></form>
<form method="post" action="/connect" aria-label="Any service"><fieldset><legend><b>Any service with signed webhooks</b></legend>${hidden(ctx, 'generic')}
<label>Account name <input type="text" name="accountName" required maxlength="100"></label>
<label>Callback URL for replies (optional) <input type="url" name="callbackUrl" placeholder="https://connector.example.com/replies"></label>
<button type="submit">Connect service</button></fieldset></form>`);
}

const safeLink = (url?: string) => (url && /^https?:\/\//i.test(url) ? url : undefined);

export function connectedPage(setup: ProviderSetup, ctx: ConnectContext): string {
  const finish = safeLink(ctx.redirectUrl);
  return page('Ready to connect', html`<h1>${setup.accountName} is ready</h1>
<p class="ok" role="status">The credentials work and HubSpot has the account's name. Finish in HubSpot to create the channel account.</p>
${setup.shown.length ? html`<dl>${setup.shown.map((s) => html`<dt>${s.label}</dt><dd><code data-shown="${s.label}">${s.value}</code></dd>`)}</dl>` : ''}
${setup.shown.some((s) => s.secret) ? html`<p class="muted">Copy these now: the bridge stores secrets encrypted and will not show them again.</p>` : ''}
${finish ? html`<p><a class="button" id="finish" href="${finish}">Finish connecting in HubSpot</a></p>` : html`<p>Return to HubSpot to finish.</p>`}`);
}

export function errorPage(title: string, message: string, ctx?: Partial<ConnectContext>): string {
  const retry = ctx?.accountToken && ctx.portalId
    ? html`<p><a href="/connect?${new URLSearchParams({ accountToken: ctx.accountToken, portalId: ctx.portalId, ...(ctx.redirectUrl ? { redirectUrl: ctx.redirectUrl } : {}) }).toString()}">Try again</a></p>`
    : '';
  return page(title, html`<h1>${title}</h1><p class="error" role="alert">${message}</p>${retry}`);
}

export function installedPage(portalId: string): string {
  return page('Installed', html`<h1>channel-bridge is installed</h1><p class="ok" role="status">HubSpot portal ${portalId} is connected to the bridge.
Next: in HubSpot, open Inbox settings → Channels → Connect a channel.</p>`);
}
