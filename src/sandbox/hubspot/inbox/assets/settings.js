// Channel settings: "Connect a channel" and routing. Rename, move, turn off/on and remove are generic
// data-action controls handled in inbox.js.
import { saveRouting, startConnect } from './actions.js';
import { markSaved, refreshAll } from './live.js';
import { toast } from './toast.js';

function routingFrom(form) {
  const all = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);
  const category = form.elements.category.value.trim();
  return {
    autoAssign: form.elements.autoAssign.checked,
    assignTo: form.querySelector('input[name=assignTo]:checked')?.value ?? 'USERS_AND_TEAMS',
    userIds: all('userIds'),
    teamIds: all('teamIds'),
    properties: { ...(form.elements.priority.value ? { priority: form.elements.priority.value } : {}), ...(category ? { category } : {}) },
  };
}

export function setUpSettings(root) {
  if (!root) return;
  root.addEventListener('submit', async (event) => {
    const form = event.target;
    if (form.matches('form.connect')) {
      event.preventDefault();
      markSaved(form);
      // Open the window inside the click, or the browser treats it as an unwanted popup; point it once we know where.
      const popup = window.open('about:blank', '_blank');
      try {
        const { url } = await startConnect(form.dataset.channel, form.elements.inboxId.value);
        if (popup) {
          popup.location.href = url;
          toast('Finish connecting in the window that opened. The account appears here when you are done.');
        } else {
          // The browser blocked the window: offer the same page as a link the admin can open.
          const link = Object.assign(document.createElement('a'), { href: url, target: '_blank', textContent: 'Open the connection page' });
          toast('The browser blocked the connection window. ').append(link);
        }
      } catch (error) {
        popup?.close();
        toast(`Could not start connecting: ${error.message}`, 'alert');
      }
    } else if (form.matches('form.routing')) {
      event.preventDefault();
      document.querySelectorAll('.toast.alert').forEach((old) => old.remove()); // a new attempt supersedes old errors
      const rule = routingFrom(form);
      if (rule.autoAssign && rule.assignTo === 'USERS_AND_TEAMS' && !rule.userIds.length && !rule.teamIds.length) {
        return toast('Pick at least one user or team to assign conversations to.', 'alert');
      }
      try {
        await saveRouting(form.dataset.account, rule);
        markSaved(form);
        toast('Routing saved.');
      } catch (error) {
        toast(`Routing not saved: ${error.message}`, 'alert');
      }
      await refreshAll();
    }
  });
}
