// Channel settings: "Connect a channel" (connect-flow.js) and each account's Edit, Turn off and Remove dialogs
// (settings-dialogs.js). Move and Turn on are generic data-action controls handled in inbox.js.
import { openConnectFlow } from './connect-flow.js';
import { openAccountDialog } from './settings-dialogs.js';

/** A channel logo that does not load gives way to the default mark drawn under it. */
function hideBrokenLogos() {
  const hide = (img) => {
    img.hidden = true;
    img.closest('.channel-logo')?.classList.add('default');
  };
  document.addEventListener(
    'error',
    (event) => {
      if (event.target instanceof HTMLImageElement && event.target.closest('.channel-logo')) hide(event.target);
    },
    true,
  );
  for (const img of document.querySelectorAll('.channel-logo img')) if (img.complete && !img.naturalWidth) hide(img);
}

/** The stylesheet comes with the settings fragment; kept in <head> it survives the fragment being replaced. */
function keepStylesheet(root) {
  const link = root.querySelector('link[rel=stylesheet]');
  if (link && !document.head.querySelector(`link[href="${link.getAttribute('href')}"]`))
    document.head.append(link.cloneNode());
}

/** The same control in freshly rendered settings: same tag, same action and account. */
function twinOf(root, el) {
  if (el.matches('[data-open-connect]')) return root.querySelector('[data-open-connect]');
  const key = ['open', 'action', 'account']
    .filter((k) => el.dataset[k])
    .map((k) => `[data-${k}="${CSS.escape(el.dataset[k])}"]`)
    .join('');
  return key ? root.querySelector(`${el.localName}${key}`) : null;
}

/**
 * A live refresh replaces the settings' markup; a keyboard user whose focus was on a button there would be thrown
 * back to the top of the page. Focus moves to the same button in the new markup instead.
 */
function keepFocusAcrossRefreshes(root) {
  let focused;
  root.addEventListener('focusin', (event) => (focused = event.target));
  new MutationObserver(() => {
    if (!focused || focused.isConnected || (document.activeElement && document.activeElement !== document.body)) return;
    focused = twinOf(root, focused);
    focused?.focus({ preventScroll: true });
  }).observe(root, { childList: true, subtree: true });
}

export function setUpSettings(root) {
  if (!root) return;
  keepStylesheet(root);
  hideBrokenLogos();
  keepFocusAcrossRefreshes(root);
  root.addEventListener('click', (event) => {
    const connect = event.target.closest('[data-open-connect]');
    if (connect) return openConnectFlow(root.querySelector('template[data-dialog="connect"]'), connect);
    const open = event.target.closest('button[data-open]');
    if (open) openAccountDialog(open);
  });
}
