/**
 * The customer page's browser code, served inline. Plain DOM, no build step: it polls the open chat,
 * renders each message with its media, and posts what the person writes to the control API. Which chat
 * is open, and who writes there, comes from page-chats-script.ts, served after it in the same module.
 */
export const PAGE_SCRIPT = String.raw`
const root = document.body.dataset.root;
const botId = document.body.dataset.bot;
const $ = (id) => document.getElementById(id);
const list = $('messages'), form = $('composer'), fileInput = $('file'), kind = $('kind'), error = $('error');
let picked = null, replyTo = null, shown = '', deliveries = {}, sending = false;

const esc = (s) => s.replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
const fileUrl = (id) => root + '/files/' + encodeURIComponent(id);
const userId = () => $('user-id').value.trim();
const fullName = (u) => u.first_name + (u.last_name ? ' ' + u.last_name : '');
// Telegram's colours for names in groups, picked by user id.
const NAME_COLOURS = ['#c03d33', '#4fad2d', '#d09306', '#168acd', '#8544d6', '#cd4073', '#2996ad', '#ce671b'];

/** Telegram text + entities (UTF-16 offsets) back into HTML. */
function formatted(text, entities) {
  if (!entities || entities.length === 0) return esc(text);
  const tags = { bold: 'strong', italic: 'em', underline: 'u', strikethrough: 's', code: 'code', pre: 'pre', spoiler: 'span class="spoiler"', blockquote: 'blockquote' };
  const cuts = new Set([0, text.length]);
  for (const e of entities) { cuts.add(e.offset); cuts.add(e.offset + e.length); }
  const points = [...cuts].sort((a, b) => a - b);
  let html = '';
  for (let i = 0; i < points.length - 1; i++) {
    const [from, to] = [points[i], points[i + 1]];
    let piece = esc(text.slice(from, to));
    for (const e of entities) {
      if (e.offset > from || e.offset + e.length < to) continue;
      if (e.type === 'text_link') piece = '<a href="' + esc(e.url) + '" target="_blank">' + piece + '</a>';
      else if (tags[e.type]) piece = '<' + tags[e.type] + '>' + piece + '</' + tags[e.type].split(' ')[0] + '>';
    }
    html += piece;
  }
  return html;
}

const mapUrl = (l) => 'https://www.openstreetmap.org/?mlat=' + Number(l.latitude) + '&mlon=' + Number(l.longitude);

function media(m) {
  if (m.photo) return '<img class="photo" alt="photo" src="' + fileUrl(m.photo[m.photo.length - 1].file_id) + '">';
  if (m.sticker) {
    const s = m.sticker;
    if (s.is_video) return '<video class="sticker" autoplay loop muted src="' + fileUrl(s.file_id) + '"></video>';
    if (s.is_animated) return '<span class="tgs">' + esc(s.emoji || '') + ' animated sticker</span>';
    return '<img class="sticker" alt="sticker" src="' + fileUrl(s.file_id) + '">';
  }
  if (m.voice) return '<span class="label">Voice message · ' + m.voice.duration + 's</span><audio controls src="' + fileUrl(m.voice.file_id) + '"></audio>';
  if (m.audio) return '<span class="label">♪ ' + esc(m.audio.title || m.audio.file_name || 'Audio') + '</span><audio controls src="' + fileUrl(m.audio.file_id) + '"></audio>';
  if (m.video_note) return '<video class="round" controls src="' + fileUrl(m.video_note.file_id) + '"></video>';
  if (m.video) return '<video class="video" controls src="' + fileUrl(m.video.file_id) + '"></video>';
  if (m.document) return '<a class="doc" download="' + esc(m.document.file_name || 'file') + '" href="' + fileUrl(m.document.file_id) + '" data-ext="' + esc(((m.document.file_name || '').split('.').pop() || 'file').slice(0, 4).toUpperCase()) + '">' + esc(m.document.file_name || 'file') + '</a>';
  if (m.venue) return '<a class="doc" target="_blank" href="' + mapUrl(m.venue.location) + '">Venue: ' + esc(m.venue.title) + ' · ' + esc(m.venue.address) + '</a>';
  if (m.location) return '<a class="doc" target="_blank" href="' + mapUrl(m.location) + '">Location: ' + m.location.latitude + ', ' + m.location.longitude + '</a>';
  if (m.contact) return '<span class="doc">Contact: ' + esc(m.contact.first_name + ' ' + (m.contact.last_name || '')) + ' · ' + esc(m.contact.phone_number) + '</span>';
  return '';
}

/** Service messages (a topic opened, members joined) as Telegram shows them: a line across the chat. */
function serviceText(m) {
  if (m.forum_topic_created) return fullName(m.from) + ' created the topic “' + m.forum_topic_created.name + '”';
  if (m.new_chat_members) return m.new_chat_members.map(fullName).join(', ') + ' joined the group';
  return undefined;
}

/** Outside a private chat several people write: each message not the person's own names its sender. */
function senderLabel(m) {
  if (conv.kind === 'private') return '';
  const name = fullName(m.from) + (m.sender_business_bot ? ' · via @' + (m.sender_business_bot.username || 'bot') : '');
  return '<span class="from" style="color:' + NAME_COLOURS[Math.abs(m.from.id) % NAME_COLOURS.length] + '">' + esc(name) + '</span>';
}

function bubble(m) {
  const service = serviceText(m);
  if (service !== undefined) return '<li class="service" data-id="' + m.message_id + '">' + esc(service) + '</li>';
  // The bot's sends for a Business account carry the owner in "from": only sender_business_bot tells them apart.
  const mine = !m.from.is_bot && !m.sender_business_bot && String(m.from.id) === String(writerId());
  const quote = m.reply_to_message && !m.reply_to_message.forum_topic_created ? '<blockquote>' + esc(m.reply_to_message.text || m.reply_to_message.caption || 'media') + '</blockquote>' : '';
  const text = m.text !== undefined ? formatted(m.text, m.entities) : m.caption !== undefined ? formatted(m.caption, m.caption_entities) : '';
  const time = new Date(m.date * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const type = m.sticker ? 'sticker' : m.voice ? 'voice' : m.photo ? 'photo' : m.venue ? 'venue' : m.location ? 'location' : m.contact ? 'contact' : m.text !== undefined ? 'text' : 'file';
  const mark = mine ? deliveries[m.message_id] : undefined;
  const failure = mark && mark.reason && (mark.state === 'failed' || mark.state === 'retrying') ? '<p class="failure">' + esc(mark.reason) + '</p>' : '';
  return '<li class="bubble ' + (mine ? 'in' : 'out') + '" data-id="' + m.message_id + '" data-type="' + type + '">' + (mine ? '' : senderLabel(m)) + quote + media(m) +
    (text ? '<p>' + text + '</p>' : '') + '<span class="meta">' + time + (mark ? ticks(mark) : '') + '</span>' + failure + '</li>';
}

/** ✓ sent (queued for the bot), ✓✓ only once the bot's webhook (the bridge) answered 2xx, ⚠ and why otherwise. */
const TICKS = { queued: ['✓', 'sent: queued for the bot'], delivered: ['✓✓', "delivered: the bot's webhook accepted it"], retrying: ['⚠', 'not delivered yet: retrying'], failed: ['⚠', 'not delivered'] };
function ticks(mark) {
  const [symbol, label] = TICKS[mark.state] || TICKS.queued;
  return ' <span class="ticks ' + mark.state + '" data-status="' + mark.state + '" title="' + esc(mark.reason || label) + '" aria-label="' + esc(mark.reason || label) + '">' + symbol + '</span>';
}

async function refresh() {
  const conversation = conversationKey(), url = messagesUrl();
  try {
    const answer = url ? await (await fetch(url)).json() : {};
    const messages = (answer.messages || []).filter(inConversation);
    if (conversation !== conversationKey()) return; // the person switched chats meanwhile
    deliveries = answer.deliveries || {};
    const key = conversation + '|' + JSON.stringify(messages.map((m) => [m.message_id, m.edit_date, deliveries[m.message_id]]));
    if (key === shown) return;
    shown = key;
    list.innerHTML = messages.length ? messages.map(bubble).join('') : '<li class="service">' + esc(emptyHint()) + '</li>';
    list.scrollTop = list.scrollHeight;
  } catch (e) { /* the sandbox restarted; try again on the next tick */ }
}

/** The kind a file most likely is, as Telegram's app would send it; the person can change it. */
function guessKind(file) {
  const name = file.name.toLowerCase(), type = file.type;
  if (name.endsWith('.tgs') || type === 'image/webp' || name.endsWith('.webp')) return 'sticker';
  if (type.startsWith('image/')) return 'photo';
  if (type === 'audio/ogg' || name.endsWith('.ogg') || name.endsWith('.oga') || name.endsWith('.opus')) return 'voice';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  return 'document';
}

function pick(file) {
  picked = file;
  kind.value = guessKind(file);
  $('file-name').textContent = file.name + ' (' + Math.ceil(file.size / 1024) + ' KB)';
  $('clear-file').hidden = false;
  error.textContent = '';
}
function clearFile() {
  picked = null; fileInput.value = ''; $('file-name').textContent = ''; $('clear-file').hidden = true; error.textContent = '';
}
function setReply(id, text) {
  replyTo = id;
  $('reply-bar').hidden = id === null;
  $('reply-text').textContent = text || '';
}

fileInput.addEventListener('change', () => fileInput.files[0] && pick(fileInput.files[0]));
$('clear-file').addEventListener('click', clearFile);
$('cancel-reply').addEventListener('click', () => setReply(null));
list.addEventListener('click', (event) => {
  const li = event.target.closest('li.bubble');
  if (li && !event.target.closest('a,audio,video')) setReply(Number(li.dataset.id), li.querySelector('p')?.textContent || li.dataset.type);
});
document.addEventListener('dragover', (e) => { e.preventDefault(); document.body.classList.add('dragging'); });
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dragging');
  if (e.dataTransfer && e.dataTransfer.files[0]) pick(e.dataTransfer.files[0]);
});
$('block').addEventListener('change', async (e) => {
  await fetch(root + '/bots/' + botId + '/' + (e.target.checked ? 'block' : 'unblock'), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_id: Number(userId()) }),
  });
});

/**
 * One message per click: Send (and the share buttons) stay disabled while a message is on its way, and a second
 * click or Enter meanwhile is ignored. after() clears what was sent.
 */
async function post(target, init, after) {
  if (sending) return;
  sending = true;
  for (const id of ['send', 'send-location', 'send-contact']) $(id).disabled = true;
  try {
    const res = await fetch(target, Object.assign({ method: 'POST' }, init));
    if (!res.ok) { error.textContent = (await res.json()).error || 'the sandbox refused the message'; return; }
    after(); setReply(null); error.textContent = ''; refresh(); loadLists();
  } catch (e) {
    error.textContent = 'the sandbox did not answer: ' + e.message;
  } finally {
    sending = false;
    for (const id of ['send', 'send-location', 'send-contact']) $(id).disabled = false;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (sending) return;
  const text = $('text').value;
  if (!text.trim() && !picked) return;
  const body = new FormData();
  const target = sendTarget(body);
  if (!target) { error.textContent = emptyHint(); return; }
  if (text.trim()) body.set('text', text);
  if (replyTo !== null) body.set('reply_to_message_id', String(replyTo));
  if (picked) { body.set('as', kind.value); body.set('file', picked, picked.name); }
  return post(target, { body }, () => { $('text').value = ''; clearFile(); });
});

$('bot-pick').addEventListener('change', (e) => { location.href = root + '/?bot=' + encodeURIComponent(e.target.value); });
`;
