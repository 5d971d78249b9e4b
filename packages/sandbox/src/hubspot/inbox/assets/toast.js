// Short messages in a corner: notifications, confirmations, and errors that have no place of their own.
// Each one can be dismissed (it may sit over a control for a few seconds), and goes by itself after 8 s.

/**
 * `role` is 'status' for news and confirmations, 'alert' for failures. Returns the element that holds the
 * text, e.g. to add a link to it.
 */
export function toast(text, role = 'status') {
  const box = document.createElement('div');
  box.className = `toast ${role}`;
  box.setAttribute('role', role);
  const body = document.createElement('span');
  body.className = 'text';
  body.textContent = text;
  const dismiss = document.createElement('button');
  dismiss.type = 'button';
  dismiss.textContent = '×';
  dismiss.setAttribute('aria-label', 'Dismiss');
  dismiss.addEventListener('click', () => box.remove());
  box.append(body, dismiss);
  document.querySelector('.toasts')?.append(box);
  setTimeout(() => box.remove(), 8000);
  return body;
}
