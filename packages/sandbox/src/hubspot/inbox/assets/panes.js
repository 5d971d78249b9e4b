// The contact card beside a conversation can be hidden and shown again. On a wide screen it shows unless the rep
// hid it (remembered per browser); below about 1100 px it starts folded, and on a narrow screen an opened card
// takes the conversation's place (inbox.css). The toggles say whether the card is showing (aria-expanded).

const KEY = 'inbox.contactCard';
const wide = () => matchMedia('(min-width: 68.8rem)').matches;

function remembered() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setUpPanes() {
  const inbox = document.querySelector('.inbox.has-thread');
  const card = document.getElementById('contact-card');
  if (!inbox || !card) return;
  const showing = () => getComputedStyle(card).display !== 'none';
  const sync = () => document.querySelector('.card-toggle')?.setAttribute('aria-expanded', String(showing()));
  if (wide() && remembered() === 'closed') inbox.dataset.card = 'closed';
  sync();
  window.addEventListener('resize', sync);

  document.addEventListener('click', (event) => {
    const toggle = event.target.closest('[data-card-toggle]');
    if (!toggle) return;
    const open = !showing();
    inbox.dataset.card = open ? 'open' : 'closed';
    if (wide()) {
      try {
        localStorage.setItem(KEY, inbox.dataset.card);
      } catch {
        // Not remembered; this page still follows the choice.
      }
    }
    sync();
    // Keep focus on something visible: the control that toggles the card back.
    const next = open ? card.querySelector('.card-close') : document.querySelector('.card-toggle');
    if (!open || !toggle.checkVisibility()) next?.focus();
  });
}
