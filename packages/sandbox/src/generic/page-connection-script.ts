/**
 * The customer page's Connection panel (page.ts), served after page-script.ts in the same module: the callback URL to
 * give the bridge's connect popup, and the webhook URL and signing secret the bridge then shows, saved with
 * `PUT /_sandbox/generic/config`.
 */
export const CONNECTION_SCRIPT = String.raw`
/**
 * Where this connector sends (the bridge's webhook URL and secret), set from the page as the connect popup gives them.
 */
async function loadConnection() {
  const info = await (await fetch('/_sandbox/generic/info')).json();
  $('callback-url').textContent = location.origin + info.callbackPath;
  $('bridge-url').value = info.bridgeUrl;
}
function toggleConnection(open) {
  $('connection').hidden = !open;
  $('open-connection').setAttribute('aria-expanded', String(open));
  if (open) loadConnection().then(() => $('bridge-url').focus(), () => undefined);
}
$('open-connection').addEventListener('click', () => toggleConnection($('connection').hidden));
$('copy-callback').addEventListener('click', async () => {
  const url = $('callback-url').textContent;
  try { await navigator.clipboard.writeText(url); $('copy-callback').textContent = 'Copied'; } catch (e) { $('copy-callback').textContent = 'Select and copy it'; }
  setTimeout(() => { $('copy-callback').textContent = 'Copy'; }, 1500);
});
$('connection-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = $('connection-status');
  const secret = $('signing-secret').value.trim();
  if (secret && !/^whsec_[A-Za-z0-9+/=]+$/.test(secret)) { status.className = 'error'; status.textContent = 'a signing secret looks like whsec_ followed by base64'; return; }
  const body = Object.assign({ bridgeUrl: $('bridge-url').value.trim() }, secret ? { signingSecret: secret } : {});
  const res = await fetch('/_sandbox/generic/config', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await res.json();
  status.className = res.ok ? '' : 'error';
  status.textContent = res.ok ? 'Saved: messages now go to ' + answer.bridgeUrl + '.' : (answer.error || 'the emulator refused');
  if (res.ok) { $('signing-secret').value = ''; refresh(); }
});
`;
