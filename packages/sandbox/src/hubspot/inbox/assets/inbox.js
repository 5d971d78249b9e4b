// Entry point of the inbox page: live updates, the reply editor, and the controls that act as a rep or admin.
import { runAction } from './actions.js';
import { setUpEditor } from './editor.js';
import { markSaved, refreshAll, startLiveUpdates } from './live.js';
import { setUpPanes } from './panes.js';
import { setUpSettings } from './settings.js';
import { toast } from './toast.js';

/** Shows a failure next to the control that caused it, or as a toast when there is no place for it. */
function showError(near, message) {
  const box = near?.closest('section')?.querySelector(':scope > .error');
  if (box) {
    box.textContent = message;
    box.hidden = false;
    return;
  }
  toast(message, 'alert');
}

async function act(control, action, value) {
  control.disabled = true;
  try {
    await runAction(action, control.dataset, value);
    if (control.matches('form')) markSaved(control);
    await refreshAll();
  } catch (error) {
    showError(control, error.message);
  } finally {
    control.disabled = false;
  }
}

// Controls are rendered by the server with their action and target as data attributes, and are found by
// delegation, so fragments refreshed by live updates keep working.
document.addEventListener('click', (event) => {
  const reveal = event.target.closest('[data-reveal], [data-cancel]');
  if (reveal) {
    const confirm = reveal.matches('[data-reveal]') ? reveal.nextElementSibling : reveal.closest('.confirm');
    confirm.hidden = !reveal.matches('[data-reveal]');
    return;
  }
  const button = event.target.closest('button[data-action]');
  if (button) act(button, button.dataset.action, button.dataset.value);
});
document.addEventListener('change', (event) => {
  const select = event.target.closest('select[data-action]');
  if (select) act(select, select.dataset.action, select.value);
});
document.addEventListener('submit', (event) => {
  const form = event.target.closest('form[data-action]');
  if (!form) return;
  event.preventDefault();
  const value = form.elements.value.value.trim();
  if (!value) return showError(form, 'Give the channel a name.');
  act(form, form.dataset.action, value);
});

// Filters apply as soon as they change; the Filter button stays for keyboard users and pages without scripts.
document
  .querySelectorAll('.filters select')
  .forEach((select) => select.addEventListener('change', () => select.form.submit()));
document.querySelectorAll('form.editor').forEach(setUpEditor);
setUpPanes();
setUpSettings(document.querySelector('.settings'));
startLiveUpdates();
