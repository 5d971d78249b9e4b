/**
 * The BotFather page's browser code (page-bots.ts), served inline: lists the bots from `GET /bots` every two
 * seconds, creates one with `POST /bots`, and copies a token to the clipboard. Text goes in with textContent only.
 */
export const BOTS_SCRIPT = String.raw`
const root = document.body.dataset.root;
const $ = (id) => document.getElementById(id);
let bots = [], created = null, shown = '', creating = false;

/** navigator.clipboard needs a secure context (127.0.0.1 is one); a selected textarea is the fallback. */
async function copy(text, button, what) {
  try { await navigator.clipboard.writeText(text); }
  catch (e) {
    const area = document.createElement('textarea');
    area.value = text; document.body.append(area); area.select(); document.execCommand('copy'); area.remove();
  }
  const label = button.textContent;
  button.textContent = 'Copied';
  $('status').className = '';
  $('status').textContent = 'Copied ' + what + ' to the clipboard.';
  setTimeout(() => { button.textContent = label; }, 1500);
}

function el(tag, props, ...children) {
  const node = Object.assign(document.createElement(tag), props || {});
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** A secret: hidden until "Show", copyable either way. */
function secretValue(bot) {
  if (!bot.token) return el('span', { className: 'muted', textContent: 'shown only on the machine that runs the sandbox' });
  const code = el('code', { textContent: '•'.repeat(12) });
  code.dataset.secret = 'token';
  const show = el('button', { type: 'button', className: 'quiet', textContent: 'Show' });
  show.setAttribute('aria-label', 'Show the token of @' + bot.username);
  show.onclick = () => {
    const hidden = code.textContent !== bot.token;
    code.textContent = hidden ? bot.token : '•'.repeat(12);
    show.textContent = hidden ? 'Hide' : 'Show';
  };
  const copyButton = el('button', { type: 'button', className: 'quiet', textContent: 'Copy' });
  copyButton.setAttribute('aria-label', 'Copy the token of @' + bot.username);
  copyButton.dataset.copy = 'token';
  copyButton.onclick = () => copy(bot.token, copyButton, 'the token of @' + bot.username);
  return el('div', { className: 'value' }, code, show, copyButton);
}

function row(term, value) {
  return [el('dt', { textContent: term }), el('dd', {}, value)];
}

function botCard(bot) {
  const li = el('li', { className: 'bot' + (bot.id === created ? ' new' : '') });
  li.dataset.bot = String(bot.id);
  const chat = el('a', { href: root + '/?bot=' + bot.id, textContent: 'Chat with it as the customer' });
  li.append(el('h3', {}, bot.first_name, el('small', { textContent: '@' + bot.username + ' · id ' + bot.id })));
  const webhook = bot.webhook
    ? el('span', {}, el('code', { textContent: bot.webhook }), bot.last_error_message ? el('span', { className: 'warn', textContent: ' last error: ' + bot.last_error_message }) : null)
    : el('span', { className: 'muted', textContent: 'not set: connecting the bot in HubSpot sets it' });
  li.append(el('dl', {}, ...row('Token', secretValue(bot)), ...row('Webhook', webhook),
    ...row('Waiting', el('span', { textContent: bot.pending + ' update' + (bot.pending === 1 ? '' : 's') + ' not delivered yet' }))));
  li.append(el('p', {}, chat));
  return li;
}

async function load() {
  try {
    bots = await (await fetch(root + '/bots')).json();
  } catch (e) { return; }
  // Redraw only on a change, so a shown token and the focus stay put.
  const key = JSON.stringify([bots, created]);
  if (key === shown) return;
  shown = key;
  $('bots-title').textContent = 'Your bots (' + bots.length + ')';
  $('bots').replaceChildren(...bots.map(botCard));
}

$('new-bot').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (creating) return;
  creating = true;
  $('create-bot').disabled = true;
  const status = $('status');
  try {
    const res = await fetch(root + '/bots', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ first_name: $('bot-name').value.trim(), username: $('bot-username').value.trim() || undefined }) });
    const answer = await res.json();
    status.className = res.ok ? '' : 'error';
    if (!res.ok) { status.textContent = answer.error || 'the sandbox refused'; return; }
    created = answer.id;
    status.textContent = 'Done! @' + answer.username + ' is ready. Copy its token below and paste it into the connect popup.';
    $('bot-username').value = '';
    await load();
    const copyButton = document.querySelector('[data-bot="' + created + '"] [data-copy]');
    if (copyButton) { copyButton.scrollIntoView({ block: 'nearest' }); copyButton.focus(); }
  } finally {
    creating = false;
    $('create-bot').disabled = false;
  }
});

load();
setInterval(load, 2000);
`;
