// "Connect a channel", step by step as HubSpot's help article walks it: choose the channel → continue with it (its
// connection page in a popup) → routing rules → Next → connect another account, go to the inbox, or Done.
// The popup is the channel's own page (channelAccountConnectionRedirectUrl). When the admin finishes there, HubSpot
// creates the account; this page sees that (GET /_sandbox/inbox/connect/{token}), closes the popup and goes on.

import { saveRouting, startConnect } from './actions.js';
import { refreshAll } from './live.js';
import { openDialog, routingFrom, routingProblem, showError } from './settings-dialogs.js';

const POLL_MS = 400;
const STEP_OF = { choose: 'choose', channel: 'account', waiting: 'account', routing: 'routing', done: 'done' };

async function attempt(accountToken) {
  const res = await fetch(`/_sandbox/inbox/connect/${encodeURIComponent(accountToken)}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`the sandbox answered ${res.status}`);
  return res.json();
}

const fill = (dialog, key, text) =>
  dialog.querySelectorAll(`[data-fill="${key}"]`).forEach((el) => (el.textContent = text));
const fillHref = (dialog, key, href) =>
  dialog.querySelectorAll(`[data-fill-href="${key}"]`).forEach((el) => (el.href = href));

class ConnectFlow {
  constructor(dialog) {
    this.dialog = dialog;
    dialog.addEventListener('click', (event) => this.onClick(event));
    dialog.addEventListener('submit', (event) => this.onRouting(event));
    dialog.addEventListener('close', () => this.stop({ closePopup: true }));
    this.show('choose');
  }

  /** Shows one step (for `channel`, the picked channel's), marks it in the step list and moves focus to it. */
  show(step) {
    for (const section of this.dialog.querySelectorAll('.flow-step')) {
      section.hidden =
        section.dataset.step !== step || (step === 'channel' && section.dataset.channel !== this.channelId);
      if (!section.hidden) this.current = section;
    }
    for (const li of this.dialog.querySelectorAll('.flow-steps li')) {
      if (li.dataset.for === STEP_OF[step]) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    }
    this.current.querySelector('h3')?.focus();
  }

  onClick(event) {
    const target = event.target.closest('button, a');
    if (!target) return;
    if (target.dataset.pick) {
      this.channelId = target.dataset.pick;
      this.show('channel');
    } else if (target.matches('[data-continue]')) this.continueWithChannel();
    else if (target.matches('[data-back]')) {
      const from = this.current.dataset.step;
      this.stop({ closePopup: true });
      this.show(from === 'waiting' ? 'channel' : 'choose');
    } else if (target.matches('[data-refocus]')) this.popup?.focus();
    else if (target.matches('[data-another]')) {
      this.dialog.querySelector('form.flow-routing').reset();
      this.show('channel');
    }
  }

  /** Opens the channel's connection page in a popup (inside the click, or the browser blocks it), then waits. */
  async continueWithChannel() {
    const section = this.current;
    showError(section, '');
    this.popup = window.open('about:blank', '_blank', 'popup,width=760,height=860');
    fill(this.dialog, 'channel', section.dataset.name);
    this.dialog.querySelector('.blocked').hidden = true;
    let started;
    try {
      started = await startConnect(this.channelId, section.querySelector('select[name=inboxId]').value);
    } catch (error) {
      this.popup?.close();
      return showError(section, `Could not start connecting: ${error.message}`);
    }
    this.token = started.accountToken;
    fillHref(this.dialog, 'url', started.url);
    if (this.popup) this.popup.location.href = started.url;
    else this.dialog.querySelector('.blocked').hidden = false;
    this.show('waiting');
    this.poll();
  }

  async poll() {
    const token = this.token;
    if (!token || !this.dialog.open) return;
    const closed = this.popup?.closed;
    let state;
    try {
      state = await attempt(token);
    } catch {
      // The sandbox restarting is not the admin's problem; look again shortly.
    }
    if (token !== this.token) return;
    if (state?.account) return this.connected(state.account, token);
    if (closed) {
      this.stop({ closePopup: false });
      this.show('channel');
      return showError(
        this.current,
        `The ${this.current.dataset.name} window was closed before the account was connected. Continue to try again.`,
      );
    }
    this.timer = setTimeout(() => this.poll(), POLL_MS);
  }

  connected(account, token) {
    this.stop({ closePopup: true });
    this.account = account;
    this.accountToken = token;
    fill(this.dialog, 'account', account.name);
    fill(this.dialog, 'inbox', account.inboxName);
    fillHref(this.dialog, 'inbox', `/?inbox=${encodeURIComponent(account.inboxId)}`);
    this.show('routing');
    refreshAll();
  }

  async onRouting(event) {
    const form = event.target.closest('form.flow-routing');
    if (!form) return;
    event.preventDefault();
    const rule = routingFrom(form);
    const problem = routingProblem(rule);
    if (problem) return showError(form, problem);
    showError(form, '');
    const next = form.querySelector('[type=submit]');
    next.disabled = true;
    try {
      await saveRouting(this.account.id, rule);
      const state = await attempt(this.accountToken).catch(() => undefined);
      fill(this.dialog, 'routing', state?.account?.routing ?? '');
      this.show('done');
      await refreshAll();
    } catch (error) {
      showError(form, `Routing not saved: ${error.message}`);
    } finally {
      next.disabled = false;
    }
  }

  /** Stops waiting; the popup is closed unless the admin already closed it. */
  stop({ closePopup }) {
    clearTimeout(this.timer);
    this.token = undefined;
    if (closePopup && this.popup && !this.popup.closed) this.popup.close();
    this.popup = undefined;
  }
}

export function openConnectFlow(template, opener) {
  return new ConnectFlow(openDialog(template, opener));
}
