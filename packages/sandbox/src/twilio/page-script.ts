/** The customer page's script: polls the conversation, sends texts and pictures as the customer. */
export const PAGE_SCRIPT = `
const $ = (id) => document.getElementById(id);
const base = '/_sandbox/twilio';
let busy = false, shown = '';
const fileToBase64 = (file) => new Promise((ok, fail) => { const r = new FileReader(); r.onload = () => ok(String(r.result).split(',')[1]); r.onerror = fail; r.readAsDataURL(file); });
function bubble(m) {
  const li = document.createElement('li');
  li.className = 'bubble ' + (m.direction === 'inbound' ? 'in' : 'out');
  li.dataset.sid = m.sid; li.dataset.status = m.status;
  for (const media of m.media) {
    if ((media.contentType || '').startsWith('image/')) { const img = document.createElement('img'); img.src = media.url; img.alt = 'picture'; li.append(img); }
    else { const a = document.createElement('a'); a.href = media.url; a.textContent = 'file (' + (media.contentType || '?') + ')'; li.append(a); }
  }
  if (m.body) { const p = document.createElement('p'); p.textContent = m.body; li.append(p); }
  const meta = document.createElement('small'); meta.className = 'meta';
  if (m.direction === 'inbound') meta.textContent = m.webhook && /^2/.test(m.webhook) ? 'Delivered to the business' : 'Webhook: ' + (m.webhook || 'sending…');
  else meta.textContent = m.status + (m.errorCode ? ' (error ' + m.errorCode + ')' : '') + (m.direction === 'outbound-reply' ? ' · automatic reply' : '');
  li.append(meta);
  return li;
}
async function refresh() {
  const me = $('me').value.trim();
  if (!me) return;
  const r = await fetch(base + '/conversation/' + encodeURIComponent(me));
  if (!r.ok) return;
  const c = await r.json();
  $('business').textContent = c.business;
  $('opted').hidden = !c.optedOut;
  const key = JSON.stringify(c.messages.map((m) => [m.sid, m.status, m.webhook, m.media.length]));
  if (key === shown) return;
  shown = key;
  $('messages').replaceChildren(...c.messages.map(bubble));
  $('messages').scrollTop = $('messages').scrollHeight;
}
async function send(body) {
  if (busy) return;
  busy = true; $('send').disabled = true; $('error').textContent = '';
  try {
    const file = $('file').files[0];
    const media = file ? [{ contentType: file.type || 'application/octet-stream', dataBase64: await fileToBase64(file) }] : [];
    const r = await fetch(base + '/customer/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: $('me').value.trim(), body, media }) });
    if (!r.ok) { $('error').textContent = (await r.json()).error || 'not sent'; return; }
    $('text').value = ''; $('file').value = ''; $('file-name').textContent = '';
    await refresh();
  } finally { busy = false; $('send').disabled = false; }
}
$('composer').addEventListener('submit', (e) => { e.preventDefault(); send($('text').value); });
$('stop').addEventListener('click', () => send('STOP'));
$('start').addEventListener('click', () => send('START'));
$('file').addEventListener('change', () => { $('file-name').textContent = $('file').files[0]?.name || ''; });
$('me').addEventListener('change', () => { shown = ''; refresh(); });
setInterval(refresh, 1000);
refresh();
`;
