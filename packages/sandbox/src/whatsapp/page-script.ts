/**
 * The customer page's browser script: polls the conversation, draws it, and sends what the person
 * types, picks or drops through the control API. Plain DOM, no framework; text is set with
 * textContent so nothing the business sends is parsed as HTML.
 */
export const PAGE_SCRIPT = String.raw`
// This number's page and control API: /_sandbox/whatsapp for the first number, /_sandbox/whatsapp/numbers/<id> for
// others.
const api = document.body.dataset.root;
const $ = (id) => document.getElementById(id);
let pendingFile = null;
let replyTo = null;
let lastDrawn = '';
let sending = false;

function customer() {
  return { from: $('wa-id').value.replace(/\D/g, ''), name: $('wa-name').value || 'Sandbox Customer' };
}

function guessKind(file) {
  const t = (file.type || '').toLowerCase();
  if (t === 'image/webp') return 'sticker';
  if (t.startsWith('image/')) return 'image';
  if (t.startsWith('audio/ogg')) return 'voice';
  if (t.startsWith('audio/')) return 'audio';
  if (t.startsWith('video/')) return 'video';
  return 'document';
}

function setFile(file) {
  pendingFile = file;
  $('error').textContent = '';
  $('file-name').textContent = file ? file.name + ' (' + Math.ceil(file.size / 1024) + ' KB)' : '';
  $('clear-file').hidden = !file;
  if (file) $('kind').value = guessKind(file);
}

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1] || '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/**
 * One message per click: Send and the share buttons stay disabled while a message is on its way, and a second click
 * or Enter meanwhile is ignored. The body is built first (reading a file takes a while), then posted.
 */
async function post(build, after) {
  if (sending) return;
  sending = true;
  const buttons = ['send', 'send-location', 'send-contact'].map($);
  for (const b of buttons) b.disabled = true;
  try {
    const body = Object.assign(customer(), replyTo ? { replyTo: replyTo } : {}, await build());
    const res = await fetch(api + '/customer/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = await res.json();
    $('error').textContent = res.ok ? '' : answer.error;
    if (res.ok) {
      after();
      setReply(null);
      refresh();
    }
  } catch (e) {
    $('error').textContent = 'the sandbox did not answer: ' + e.message;
  } finally {
    sending = false;
    for (const b of buttons) b.disabled = false;
  }
}

function send(event) {
  event.preventDefault();
  const text = $('text').value.trim();
  if (sending || (!text && !pendingFile)) return;
  const file = pendingFile;
  return post(async () => {
    if (!file) return { type: 'text', text: text };
    const body = { type: $('kind').value, file: { dataBase64: await readBase64(file), mimeType: file.type || 'application/octet-stream', filename: file.name } };
    if (text) body.caption = text;
    return body;
  }, () => { $('text').value = ''; setFile(null); });
}

function setReply(line) {
  replyTo = line ? line.wamid : null;
  $('reply-bar').hidden = !line;
  $('reply-text').textContent = line ? (line.text || line.type) : '';
}

/**
 * The business's messages: its statuses (sent, delivered, read, played, failed). The customer's own: ✓ sent, ✓✓ once
 * the business's webhook (the bridge) answered 2xx, blue once the business marked it read, ⚠ and why otherwise.
 */
function ticks(line) {
  const s = line.statuses;
  if (line.failure) return { text: '⚠', cls: 'failed', title: line.failure };
  if (line.direction === 'in') {
    const d = line.delivery || { state: 'queued' };
    if (d.state === 'failed' || d.state === 'retrying') return { text: '⚠', cls: d.state, title: d.reason, reason: d.reason };
    if (s.includes('read')) return { text: '✓✓', cls: 'read', title: 'read' };
    if (d.state === 'delivered') return { text: '✓✓', cls: 'delivered', title: 'delivered' };
    return { text: '✓', cls: '', title: 'sent' };
  }
  if (s.includes('played')) return { text: '✓✓ ▶', cls: 'read', title: 'played' };
  if (s.includes('read')) return { text: '✓✓', cls: 'read', title: 'read' };
  if (s.includes('delivered')) return { text: '✓✓', cls: '', title: 'delivered' };
  if (s.includes('sent')) return { text: '✓', cls: '', title: 'sent' };
  return { text: '…', cls: '', title: 'pending' };
}

function mediaElement(media, type) {
  const src = api + '/media/' + media.id;
  if (type === 'image' || type === 'sticker') {
    const img = document.createElement('img');
    img.src = src;
    img.alt = type;
    img.className = type;
    return img;
  }
  if (type === 'audio') {
    const audio = document.createElement('audio');
    audio.controls = true;
    audio.src = src;
    return audio;
  }
  if (type === 'video') {
    const video = document.createElement('video');
    video.controls = true;
    video.src = src;
    return video;
  }
  const a = document.createElement('a');
  a.href = src;
  a.download = media.filename || 'document';
  a.className = 'doc';
  a.dataset.ext = ((media.filename || '').split('.').pop() || 'file').slice(0, 4).toUpperCase();
  a.textContent = media.filename || 'document';
  return a;
}

// WhatsApp's own markup, drawn as the app draws it: *bold*, _italic_, ~strike~ and triple-backtick mono.
const MARKUP = /(\x60\x60\x60[\s\S]+?\x60\x60\x60|\*[^*\n]+\*|_[^_\n]+_|~[^~\n]+~)/;
const TAGS = { '*': 'strong', _: 'em', '~': 's', '\x60': 'code' };
function formatted(text) {
  const p = document.createElement('p');
  for (const part of text.split(MARKUP)) {
    const tag = part.length > 2 && TAGS[part[0]] && part[0] === part[part.length - 1] ? TAGS[part[0]] : null;
    if (!tag) { p.append(part); continue; }
    const el = document.createElement(tag);
    el.textContent = tag === 'code' ? part.slice(3, -3) : part.slice(1, -1);
    p.append(el);
  }
  return p;
}

function draw(lines) {
  const list = $('messages');
  list.replaceChildren();
  const byId = new Map(lines.map((l) => [l.wamid, l]));
  for (const line of lines) {
    const li = document.createElement('li');
    li.className = 'bubble ' + line.direction;
    li.dataset.wamid = line.wamid;
    li.dataset.type = line.type;
    if (line.replyTo) {
      const quoted = document.createElement('blockquote');
      const original = byId.get(line.replyTo);
      quoted.textContent = original ? (original.text || original.type) : 'a message';
      li.append(quoted);
    }
    if (line.media) {
      if (line.media.voice) li.classList.add('voice');
      li.append(mediaElement(line.media, line.type));
    }
    if (line.text) li.append(formatted(line.text));
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = new Date(line.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) + ' ';
    const t = ticks(line);
    const tick = document.createElement('span');
    tick.className = 'ticks ' + t.cls;
    tick.dataset.status = line.direction === 'in' ? (t.cls === 'read' ? 'read' : (line.delivery || { state: 'queued' }).state) : t.title;
    tick.title = t.title;
    tick.setAttribute('aria-label', t.title);
    tick.textContent = t.text;
    meta.append(tick);
    li.append(meta);
    if (line.failure || t.reason) {
      const f = document.createElement('p');
      f.className = 'failure';
      f.textContent = line.failure || t.reason;
      li.append(f);
    }
    if (line.direction === 'out') li.addEventListener('click', () => setReply(line));
    list.append(li);
  }
  list.scrollTop = list.scrollHeight;
}

async function refresh() {
  const waId = customer().from;
  if (!waId) return;
  let body;
  try { body = await (await fetch(api + '/conversation/' + waId)).json(); } catch (e) { return; } // the sandbox restarted; next tick
  const key = JSON.stringify(body.lines);
  if (key !== lastDrawn) {
    lastDrawn = key;
    draw(body.lines);
  }
}

$('composer').addEventListener('submit', send);
$('file').addEventListener('change', () => setFile($('file').files[0] || null));
$('clear-file').addEventListener('click', () => setFile(null));
$('cancel-reply').addEventListener('click', () => setReply(null));
$('wa-id').addEventListener('change', () => { lastDrawn = ''; refresh(); });
document.addEventListener('dragover', (e) => { e.preventDefault(); document.body.classList.add('dragging'); });
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dragging');
  const file = e.dataTransfer && e.dataTransfer.files[0];
  if (file) setFile(file);
});
refresh();
setInterval(refresh, 1000);
`;
