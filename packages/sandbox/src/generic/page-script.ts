/**
 * The customer page's browser script, as text. Plain DOM, no build step: it polls the timeline,
 * renders bubbles with their media, and sends text and files through the control API.
 */
export const PAGE_SCRIPT = String.raw`
const params = new URLSearchParams(location.search);
const threadKey = params.get('thread') || 'customer-1';
const sender = { id: params.get('sender') || 'customer-1', name: params.get('name') || 'Sandbox Customer' };
const $ = (id) => document.getElementById(id);
const pending = [];
let sending = false;
const KINDS = { image: 'Image', voice: 'Voice note', audio: 'Audio', video: 'Video', sticker: 'Sticker', file: 'Document' };

function guessKind(file) {
  const t = file.type || '';
  if (t === 'image/webp' || /\.(webp|tgs)$/i.test(file.name)) return 'sticker';
  if (t.startsWith('image/')) return 'image';
  if (t === 'audio/ogg' || t.startsWith('audio/ogg') || /\.(ogg|opus|oga)$/i.test(file.name)) return 'voice';
  if (t.startsWith('audio/')) return 'audio';
  if (t.startsWith('video/')) return 'video';
  return 'file';
}

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1] || '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function addFiles(files) {
  for (const file of files) pending.push({ file, kind: guessKind(file) });
  renderPending();
}

function renderPending() {
  const box = $('pending');
  box.replaceChildren();
  pending.forEach((p, i) => {
    const chip = document.createElement('div');
    chip.className = 'chip';
    chip.dataset.testid = 'pending-attachment';
    const name = document.createElement('span');
    name.textContent = p.file.name;
    const kind = document.createElement('select');
    kind.setAttribute('aria-label', 'send ' + p.file.name + ' as');
    for (const [value, label] of Object.entries(KINDS)) kind.add(new Option(label, value, false, value === p.kind));
    kind.onchange = () => { p.kind = kind.value; };
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '×';
    remove.title = 'remove';
    remove.onclick = () => { pending.splice(i, 1); renderPending(); };
    chip.append(name, kind, remove);
    box.append(chip);
  });
}

function mediaSrc(a) {
  return a.url || ('data:' + a.contentType + ';base64,' + a.dataBase64);
}

function renderMedia(a) {
  const wrap = document.createElement('div');
  wrap.className = 'media media-' + a.kind;
  const src = mediaSrc(a);
  let el;
  if (a.kind === 'image' || a.kind === 'sticker') { el = document.createElement('img'); el.src = src; el.alt = a.filename || a.kind; }
  else if (a.kind === 'audio' || a.kind === 'voice') { el = document.createElement('audio'); el.controls = true; el.src = src; }
  else if (a.kind === 'video') { el = document.createElement('video'); el.controls = true; el.src = src; }
  else {
    el = document.createElement('a');
    el.href = src;
    el.download = a.filename || 'file';
    el.className = 'doc';
    el.innerHTML = DOC_ICON;
    el.append(a.filename || 'document');
  }
  const label = document.createElement('span');
  label.className = 'kind';
  label.textContent = (a.kind === 'voice' ? 'voice note' : a.kind === 'file' ? 'document' : a.kind) + (a.durationSec ? ' · ' + a.durationSec + 's' : '') + (a.filename && a.kind !== 'file' ? ' · ' + a.filename : '');
  wrap.append(el, label);
  return wrap;
}

// Plain symbols only: a page without emoji fonts (headless Chromium on a server) must still read well.
// ✓ sent (waiting for the bridge's answer), ✓✓ once the bridge answered 2xx, ⚠ and why otherwise.
function deliveryMark(item) {
  const why = item.reason ? ': ' + item.reason : '';
  const tries = ' (gave up after ' + item.attempts + ' attempt' + (item.attempts === 1 ? '' : 's') + ')';
  if (item.delivery === 'delivered') return ['delivered', '✓✓', 'delivered to the bridge' + (item.attempts > 1 ? ' after ' + item.attempts + ' attempts' : '')];
  if (item.delivery === 'disabled') return ['failed', '⚠', 'not delivered: the bridge disabled this endpoint (410)'];
  if (item.delivery === 'gave-up') return ['failed', '⚠', 'not delivered' + why + tries];
  if (item.reason) return ['retrying', '⚠', 'retrying (attempt ' + item.attempts + ' failed)' + why];
  return ['queued', '✓', 'sent, waiting for the bridge'];
}
const DOC_ICON = '<svg width="16" height="18" viewBox="0 0 16 18" aria-hidden="true"><path d="M2 1h8l4 4v12H2z" fill="#fff" stroke="#1c5fc2" stroke-width="1.4"/><path d="M10 1v4h4M5 9h6M5 12h6" stroke="#1c5fc2" stroke-width="1.2" fill="none"/></svg>';

function renderItem(item) {
  const row = document.createElement('div');
  row.className = 'row ' + item.direction;
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  bubble.dataset.testid = item.direction === 'customer' ? 'customer-message' : 'reply';
  // The formatted body is sanitised on the server (timeline.ts, the contract's HTML subset): shown as the connector's
  // user would see it.
  if (item.formatted && item.formatted.body) { const div = document.createElement('div'); div.className = 'formatted'; div.innerHTML = item.formatted.body; bubble.append(div); }
  else if (item.text) { const p = document.createElement('p'); p.textContent = item.text; bubble.append(p); }
  for (const a of item.attachments) bubble.append(renderMedia(a));
  if (item.location) { const p = document.createElement('p'); p.className = 'shared'; p.textContent = '📍 ' + [item.location.name, item.location.address, item.location.latitude + ', ' + item.location.longitude].filter(Boolean).join(' · '); bubble.append(p); }
  for (const c of item.contacts || []) { const p = document.createElement('p'); p.className = 'shared'; p.textContent = '👤 ' + [c.name, ...(c.phones || []), ...(c.emails || [])].join(' · '); bubble.append(p); }
  const meta = document.createElement('div');
  meta.className = 'meta';
  const time = new Date(item.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (item.direction === 'customer') {
    const [state, symbol, label] = deliveryMark(item);
    const tick = document.createElement('span');
    tick.className = 'ticks ' + state;
    tick.dataset.status = state;
    tick.textContent = symbol;
    tick.setAttribute('aria-hidden', 'true');
    meta.append(time, tick, label);
    meta.dataset.testid = 'delivery';
  } else {
    const receipts = document.createElement('span');
    receipts.dataset.testid = 'receipts';
    receipts.textContent = item.receipts.length ? 'you sent: ' + item.receipts.join(' → ') : 'no receipt sent yet';
    meta.append(time + ' · ', receipts);
    if (!item.receipts.includes('read')) {
      const read = document.createElement('button');
      read.type = 'button';
      read.className = 'mark-read';
      read.textContent = 'Mark read';
      read.onclick = () => sendStatus(item.messageId, 'read');
      meta.append(' ', read);
    }
  }
  bubble.append(meta);
  row.append(bubble);
  return row;
}

let lastRender = '';
async function refresh() {
  try {
    const res = await fetch('/_sandbox/generic/timeline?thread=' + encodeURIComponent(threadKey));
    const { items, disabledByBridge, bridgeUrl } = await res.json();
    $('status').textContent = (disabledByBridge ? '✗ disabled by the bridge · ' : '● connected · ') + bridgeUrl;
    const snapshot = JSON.stringify(items);
    if (snapshot === lastRender) return;
    lastRender = snapshot;
    const list = $('messages');
    list.replaceChildren(...items.map(renderItem));
    if (items.length === 0) { const empty = document.createElement('p'); empty.className = 'empty'; empty.textContent = 'Write to the business: text, photos, voice notes, stickers, videos or documents.'; list.append(empty); }
    list.scrollTop = list.scrollHeight;
  } catch (error) {
    $('status').textContent = 'emulator unreachable: ' + error.message;
  }
}

async function sendStatus(messageId, status) {
  await fetch('/_sandbox/generic/statuses', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messageId, status }) });
  refresh();
}

/** One message per click: Send stays disabled while a message is on its way, and a second click or Enter is ignored. */
async function send(event) {
  event.preventDefault();
  const text = $('text').value;
  if (sending || (!text.trim() && pending.length === 0)) return;
  sending = true;
  $('send').disabled = true;
  try {
    const attachments = [];
    for (const p of pending) {
      attachments.push({ kind: p.kind, contentType: p.file.type || 'application/octet-stream', filename: p.file.name, dataBase64: await readBase64(p.file), inline: $('inline').checked });
    }
    const res = await fetch('/_sandbox/generic/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ threadKey, sender, text: text || undefined, attachments }) });
    if (!res.ok) { $('error').textContent = (await res.json()).error; return; }
    $('error').textContent = '';
    $('text').value = '';
    pending.length = 0;
    renderPending();
  } catch (error) {
    $('error').textContent = 'the emulator did not answer: ' + error.message;
  } finally {
    sending = false;
    $('send').disabled = false;
    refresh();
  }
}

/** A location or a contact card, one message per click like Send. */
async function share(event, what) {
  event.preventDefault();
  if (sending) return;
  sending = true;
  const button = event.target.querySelector('button');
  button.disabled = true;
  try {
    const res = await fetch('/_sandbox/generic/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ threadKey, sender, ...what() }) });
    $('error').textContent = res.ok ? '' : (await res.json()).error;
  } catch (error) {
    $('error').textContent = 'the emulator did not answer: ' + error.message;
  } finally {
    sending = false;
    button.disabled = false;
    refresh();
  }
}
const optional = (value) => (value.trim() ? value.trim() : undefined);
$('share-location').addEventListener('submit', (e) => share(e, () => ({ location: { latitude: Number($('lat').value), longitude: Number($('lon').value), name: optional($('place').value), address: optional($('address').value) } })));
$('share-contact').addEventListener('submit', (e) => share(e, () => ({ contacts: [{ name: $('contact-name').value.trim(), phones: optional($('contact-phone').value) ? [$('contact-phone').value.trim()] : [], emails: optional($('contact-email').value) ? [$('contact-email').value.trim()] : [] }] })));
$('composer').addEventListener('submit', send);
$('files').addEventListener('change', (e) => { addFiles(e.target.files); e.target.value = ''; });
document.addEventListener('dragover', (e) => { e.preventDefault(); document.body.classList.add('dragging'); });
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (e) => { e.preventDefault(); document.body.classList.remove('dragging'); addFiles(e.dataTransfer.files); });
$('who').textContent = sender.name + ' · thread ' + threadKey;
refresh();
setInterval(refresh, 1000);
`;
