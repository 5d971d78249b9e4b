// Short messages in the corner: notifications, confirmations, and errors that have no place of their own.

/** `role` is 'status' for news and confirmations, 'alert' for failures. Returns the element, e.g. to add a link. */
export function toast(text, role = 'status') {
  const box = document.createElement('div');
  box.className = `toast ${role}`;
  box.setAttribute('role', role);
  box.textContent = text;
  document.querySelector('.toasts')?.append(box);
  setTimeout(() => box.remove(), 8000);
  return box;
}
