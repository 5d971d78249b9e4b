// Live updates: poll the sandbox's change feed; when it moves, refetch the page's live regions.
// Messages are patched one by one so a playing voice note or video keeps playing.

import { announce, notificationsOn, setUpNotificationSwitch } from './notifications.js';

const POLL_MS = 1000;

async function fetchHtml(url) {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) return undefined;
  const template = document.createElement('template');
  template.innerHTML = await res.text();
  return template.content;
}

// Forms with unsaved edits (a name being typed, routing being chosen) are carried over when their region is
// refreshed, so other activity in the sandbox never wipes them. Saving the form clears the mark.
for (const type of ['input', 'change']) {
  document.addEventListener(type, (event) => {
    const form = event.target.closest?.('form');
    if (form && !form.matches('.editor, .filters')) form.dataset.dirty = 'true';
  });
}
export const markSaved = (form) => delete form.dataset.dirty;

const formKey = (form) => `${form.className}|${form.dataset.account ?? ''}|${form.dataset.channel ?? ''}`;
// Replacing the field being typed in would take the caret away; wait for the next change instead.
const typing = (region) =>
  region.contains(document.activeElement) && document.activeElement.matches('input, textarea, [contenteditable]');

/**
 * What names a control across a refresh: its tag with its id, its data attributes and its label, or nothing to go by.
 */
function controlKey(el) {
  if (el.id) return `#${CSS.escape(el.id)}`;
  const data = Object.entries(el.dataset)
    .map(([k, v]) => `[data-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}="${CSS.escape(v)}"]`)
    .join('');
  const label = el.getAttribute('aria-label') ? `[aria-label="${CSS.escape(el.getAttribute('aria-label'))}"]` : '';
  const href = el.getAttribute('href') ? `[href="${CSS.escape(el.getAttribute('href'))}"]` : '';
  return data || label || href ? `${el.localName}${data}${label}${href}` : undefined;
}

async function refreshRegion(region) {
  if (typing(region)) return;
  const content = await fetchHtml(region.dataset.live);
  if (!content || typing(region)) return;
  for (const edited of region.querySelectorAll('form[data-dirty]')) {
    [...content.querySelectorAll('form')].find((fresh) => formKey(fresh) === formKey(edited))?.replaceWith(edited);
  }
  // A keyboard user on a button of this region keeps their place: focus moves to the same control in the new markup.
  const focused = region.contains(document.activeElement) ? controlKey(document.activeElement) : undefined;
  region.replaceChildren(content);
  if (focused) region.querySelector(focused)?.focus({ preventScroll: true });
}

async function refreshKeyed(list) {
  const content = await fetchHtml(list.dataset.liveKeyed);
  if (!content) return;
  const fresh = [...content.children];
  const current = [...list.children];
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const samePrefix =
    current.length <= fresh.length && current.every((el, i) => el.dataset.id && el.dataset.id === fresh[i].dataset.id);
  if (!samePrefix) {
    list.replaceChildren(...fresh);
  } else {
    current.forEach((el, i) => {
      if (el.dataset.rev !== fresh[i].dataset.rev) el.replaceWith(fresh[i]);
    });
    list.append(...fresh.slice(current.length));
  }
  if (nearBottom || !samePrefix) list.scrollTop = list.scrollHeight;
}

/** A conversation read at its latest message stays there when the window (or zoom) changes its height. */
function keepPinned(list) {
  if (!list) return;
  let pinned = true;
  list.addEventListener('scroll', () => (pinned = list.scrollHeight - list.scrollTop - list.clientHeight < 8), {
    passive: true,
  });
  new ResizeObserver(() => {
    if (pinned) list.scrollTop = list.scrollHeight;
  }).observe(list);
}

/** Refetches every live region now (also used right after the rep acts, so the page never looks stale). */
export async function refreshAll() {
  await Promise.all([
    ...[...document.querySelectorAll('[data-live]')].map(refreshRegion),
    ...[...document.querySelectorAll('[data-live-keyed]')].map(refreshKeyed),
  ]);
}

/** Polls `/_sandbox/inbox/changes`: refreshes on change, notifies about customer messages not on screen. */
export function startLiveUpdates() {
  // A conversation opens at its latest message, as chat apps do; again once images have their height.
  const toBottom = () => document.querySelectorAll('.messages').forEach((list) => (list.scrollTop = list.scrollHeight));
  toBottom();
  window.addEventListener('load', toBottom);
  keepPinned(document.querySelector('.conversation .messages'));
  const openThread = document.querySelector('.conversation[data-thread]')?.dataset.thread;
  let version = document.body.dataset.version;
  // Messages already unread when the page was rendered are not news; anything after is.
  let notified = new Set((document.body.dataset.unread || '').split(',').filter(Boolean));
  const baseTitle = document.title;
  let waiting = 0;
  // Like a mail client: the title counts conversations waiting for the rep, not messages.
  const showTitle = () => (document.title = waiting && notificationsOn() ? `(${waiting}) ${baseTitle}` : baseTitle);
  setUpNotificationSwitch(showTitle);
  async function poll() {
    try {
      const res = await fetch('/_sandbox/inbox/changes', { cache: 'no-store' });
      const { version: next, unread } = await res.json();
      for (const m of unread) if (!notified.has(m.messageId) && m.threadId !== openThread) announce(m);
      notified = new Set(unread.map((m) => m.messageId));
      waiting = new Set(unread.filter((m) => m.threadId !== openThread).map((m) => m.threadId)).size;
      showTitle();
      if (version !== undefined && next !== version) await refreshAll();
      version = next;
    } catch {
      // The sandbox restarting is normal during development; try again on the next tick.
    }
    setTimeout(poll, POLL_MS);
  }
  poll();
}
