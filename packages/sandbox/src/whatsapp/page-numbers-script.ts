/**
 * The API setup page's browser code (page-numbers.ts), served inline: lists the numbers from `GET /numbers` every two
 * seconds (a card is built once, then only its webhook line changes, so what a person types stays), adds one with
 * `POST /numbers`, saves a number's webhook with `POST <its control base>/webhook`, and copies credentials.
 * Text goes in with textContent only.
 */
export const NUMBERS_SCRIPT = String.raw`
const root = document.body.dataset.root;
const $ = (id) => document.getElementById(id);
const cards = new Map();
let created = null, adding = false;

function el(tag, props, ...children) {
  const node = Object.assign(document.createElement(tag), props || {});
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function say(target, text, error) {
  target.className = 'status' + (error ? ' error' : '');
  target.textContent = text;
}

async function copy(text, button, what) {
  try { await navigator.clipboard.writeText(text); }
  catch (e) {
    const area = document.createElement('textarea');
    area.value = text; document.body.append(area); area.select(); document.execCommand('copy'); area.remove();
  }
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = 'Copy'; }, 1500);
  say($('status'), 'Copied ' + what + ' to the clipboard.');
}

/** A value with a Copy button; a secret stays dotted until "Show". */
function value(text, what, secret) {
  const code = el('code', { textContent: secret ? '•'.repeat(12) : text });
  code.dataset.value = what;
  const parts = [code];
  if (secret) {
    const show = el('button', { type: 'button', className: 'quiet', textContent: 'Show' });
    show.setAttribute('aria-label', 'Show the ' + what);
    show.onclick = () => {
      const hidden = code.textContent !== text;
      code.textContent = hidden ? text : '•'.repeat(12);
      show.textContent = hidden ? 'Hide' : 'Show';
    };
    parts.push(show);
  }
  const copyButton = el('button', { type: 'button', className: 'quiet', textContent: 'Copy' });
  copyButton.setAttribute('aria-label', 'Copy the ' + what);
  copyButton.dataset.copy = what;
  copyButton.onclick = () => copy(text, copyButton, 'the ' + what);
  parts.push(copyButton);
  return el('div', { className: 'value' }, ...parts);
}

const row = (term, definition) => [el('dt', { textContent: term }), el('dd', {}, definition)];

function webhookLine(number) {
  const w = number.webhook;
  if (!w.url) return el('span', { className: 'muted', textContent: 'not set yet' });
  const state = w.verified ? el('span', { className: 'ok', textContent: ' · verified' })
    : el('span', { className: 'warn', textContent: ' · not verified' + (w.lastHandshake ? ': ' + w.lastHandshake : '') });
  return el('span', {}, el('code', { textContent: w.url }), state);
}

function card(number) {
  const id = number.phoneNumberId, name = number.verifiedName + ' (+' + number.displayPhoneNumber + ')';
  const li = el('li', { className: 'number' + (id === created ? ' new' : '') });
  li.dataset.number = id;
  li.append(el('h3', {}, number.verifiedName, el('small', { textContent: '+' + number.displayPhoneNumber + (number.first ? ' · the sandbox\u2019s first number' : '') })));
  const c = number.credentials;
  const hiddenHere = el('span', { className: 'muted', textContent: 'shown only on the machine that runs the sandbox' });
  const webhook = el('span', { className: 'webhook' }, webhookLine(number));
  li.append(el('dl', {},
    ...row('Phone number id', value(id, 'phone number id of ' + name, false)),
    ...row('Access token', c ? value(c.accessToken, 'access token of ' + name, true) : hiddenHere.cloneNode(true)),
    ...row('App secret', c ? value(c.appSecret, 'app secret of ' + name, true) : hiddenHere.cloneNode(true)),
    ...row('Webhook', webhook)));

  const url = el('input', { type: 'url', value: number.webhook.url || '', placeholder: 'https://…/webhooks/whatsapp/…', autocomplete: 'off' });
  const token = el('input', { type: 'text', placeholder: 'from the bridge, after connecting', autocomplete: 'off' });
  const save = el('button', { type: 'submit', textContent: 'Verify and save' });
  save.setAttribute('aria-label', 'Verify and save the webhook of ' + name);
  const status = el('p', { className: 'status' });
  status.setAttribute('role', 'status');
  const form = el('form', {}, el('label', {}, 'Callback URL', url), el('label', {}, 'Verify token', token), save);
  form.onsubmit = async (event) => {
    event.preventDefault();
    if (save.disabled) return;
    save.disabled = true;
    say(status, 'Verifying: the emulator asks the callback URL to echo a challenge…');
    try {
      const body = Object.assign({ url: url.value.trim() }, token.value.trim() ? { verifyToken: token.value.trim() } : {});
      const res = await fetch(number.controlBase + '/webhook', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const answer = await res.json();
      if (!res.ok) { say(status, 'Not saved: ' + (answer.reason || answer.error || 'the sandbox refused'), true); return; }
      say(status, 'Verified and saved.' + (answer.redelivered ? ' ' + answer.redelivered + ' waiting webhook(s) sent again.' : ''));
      load();
    } catch (e) {
      say(status, 'The sandbox did not answer: ' + e.message, true);
    } finally {
      save.disabled = false;
    }
  };
  li.append(el('fieldset', {}, el('legend', { textContent: 'Webhook (Meta: WhatsApp → Configuration)' }), form, status));
  li.append(el('p', {}, el('a', { href: number.customerPage, textContent: 'Chat with ' + number.verifiedName + ' as the customer' })));
  return li;
}

async function load() {
  let numbers;
  try { numbers = (await (await fetch(root + '/numbers')).json()).numbers; } catch (e) { return; }
  for (const number of numbers) {
    const known = cards.get(number.phoneNumberId);
    if (known) { known.querySelector('.webhook').replaceChildren(webhookLine(number)); continue; }
    const li = card(number);
    cards.set(number.phoneNumberId, li);
    $('numbers').append(li);
  }
  $('numbers-title').textContent = 'Phone numbers (' + numbers.length + ')';
}

$('new-number').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (adding) return;
  adding = true;
  $('create-number').disabled = true;
  try {
    const res = await fetch(root + '/numbers', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verifiedName: $('number-name').value.trim(), displayPhoneNumber: $('number-phone').value.trim() || undefined }) });
    const answer = await res.json();
    if (!res.ok) { say($('status'), answer.error || 'the sandbox refused', true); return; }
    created = answer.phoneNumberId;
    say($('status'), 'Added ' + answer.verifiedName + ' (+' + answer.displayPhoneNumber + '). Copy its credentials below into the connect popup.');
    $('number-phone').value = '';
    await load();
    const first = cards.get(created).querySelector('[data-copy]');
    first.scrollIntoView({ block: 'nearest' });
    first.focus();
  } finally {
    adding = false;
    $('create-number').disabled = false;
  }
});

load();
setInterval(load, 2000);
`;
