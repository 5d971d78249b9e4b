// Modal dialogs of the channel settings: the server renders each as a <template>; a copy is opened in <body>, outside
// the live region, so a live refresh never closes it. Escape or Cancel closes it and focus goes back where it was.

import { runAction, saveRouting } from './actions.js';
import { refreshAll } from './live.js';
import { toast } from './toast.js';

/** Focus goes back to the control that opened the dialog, or to its fresh copy if a live refresh replaced it. */
function returnFocus(opener) {
  if (opener?.isConnected) return opener.focus();
  const key = opener?.dataset.open
    ? `[data-open="${opener.dataset.open}"][data-account="${opener.dataset.account}"]`
    : '[data-open-connect]';
  (document.querySelector(key) ?? document.querySelector('[data-open-connect]'))?.focus();
}

/** Opens a copy of the template's dialog as a modal; it removes itself when closed. */
export function openDialog(template, opener) {
  document.querySelectorAll('dialog.modal[open]').forEach((open) => open.close());
  const dialog = template.content.firstElementChild.cloneNode(true);
  document.body.append(dialog);
  dialog.addEventListener('click', (event) => {
    if (event.target.closest('[data-dismiss]')) dialog.close();
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    returnFocus(opener);
  });
  dialog.showModal();
  return dialog;
}

export function showError(scope, message) {
  const box = scope.querySelector('.error');
  box.textContent = message;
  box.hidden = !message;
  if (message) box.scrollIntoView({ block: 'nearest' });
}

/** The routing rule a form's fields describe (settings-routing.ts renders them). */
export function routingFrom(form) {
  const all = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);
  const category = form.elements.category.value.trim();
  const priority = form.elements.priority.value;
  return {
    autoAssign: form.elements.autoAssign.checked,
    assignTo: form.querySelector('input[name=assignTo]:checked')?.value ?? 'USERS_AND_TEAMS',
    userIds: all('userIds'),
    teamIds: all('teamIds'),
    properties: { ...(priority ? { priority } : {}), ...(category ? { category } : {}) },
  };
}

/** Why a rule cannot be saved, in the words the admin needs, or undefined. */
export function routingProblem(rule) {
  if (rule.autoAssign && rule.assignTo === 'USERS_AND_TEAMS' && !rule.userIds.length && !rule.teamIds.length) {
    return 'Pick at least one user or team to assign conversations to.';
  }
  return undefined;
}

async function busy(button, work) {
  button.disabled = true;
  try {
    return await work();
  } finally {
    button.disabled = false;
  }
}

/** Turn off / Remove: acts only on the dialog's "Yes" button; a refusal stays in the dialog. */
function setUpConfirm(dialog) {
  dialog.addEventListener('click', async (event) => {
    const yes = event.target.closest('[data-confirm]');
    if (!yes) return;
    try {
      await busy(yes, () => runAction(yes.dataset.confirm, yes.dataset));
      dialog.close();
      await refreshAll();
    } catch (error) {
      showError(dialog, error.message);
    }
  });
}

/** Edit: the name and the routing rule, saved together. */
function setUpEdit(dialog) {
  const form = dialog.querySelector('form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = form.elements.name.value.trim();
    const rule = routingFrom(form);
    const problem = name ? routingProblem(rule) : 'Give the channel a name.';
    if (problem) return showError(form, problem);
    try {
      await busy(form.querySelector('[type=submit]'), async () => {
        if (name !== form.dataset.name) await runAction('rename', form.dataset, name);
        await saveRouting(form.dataset.account, rule);
      });
      dialog.close();
      toast(`Saved ${name}.`);
      await refreshAll();
    } catch (error) {
      showError(form, error.message);
    }
  });
}

/** Opens an account's Edit, Turn off or Remove dialog from its row. */
export function openAccountDialog(button) {
  const template = button.closest('.account')?.querySelector(`template[data-dialog="${button.dataset.open}"]`);
  if (!template) return;
  const dialog = openDialog(template, button);
  if (button.dataset.open === 'edit') setUpEdit(dialog);
  else setUpConfirm(dialog);
}
