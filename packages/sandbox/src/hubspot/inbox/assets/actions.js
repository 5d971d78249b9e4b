// Every change the page makes goes through the sandbox's control API (/_sandbox/…, docs/SANDBOX.md), the same
// routes tests and scripts use, so the page adds no behaviour of its own. Errors carry HubSpot's message.

async function call(method, url, body) {
  const json = body !== undefined && !(body instanceof FormData);
  const res = await fetch(url, {
    method,
    headers: json ? { 'content-type': 'application/json' } : {},
    body: json ? JSON.stringify(body) : body,
  });
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : {};
  if (!res.ok) throw new Error(data.message || `the sandbox answered ${res.status}`);
  return data;
}

const thread = (id) => `/_sandbox/threads/${encodeURIComponent(id)}`;
const account = (id) => `/_sandbox/channel-accounts/${encodeURIComponent(id)}`;

/** A rep's attachment: stored in the portal's Files (private), referenced by id in the reply. */
export function uploadFile(file) {
  const form = new FormData();
  form.append('file', file, file.name);
  return call('POST', '/_sandbox/files', form);
}

export function sendReply(threadId, reply) {
  return call('POST', `${thread(threadId)}/replies`, reply);
}

/** Starts "Connect a channel": HubSpot makes a staging token and sends the admin to the channel's page. */
export function startConnect(channelId, inboxId) {
  return call('POST', '/_sandbox/connect', { channelId, inboxId });
}

export function saveRouting(accountId, rule) {
  return call('PUT', `/_sandbox/inbox/routing/${encodeURIComponent(accountId)}`, rule);
}

/** The buttons and selects the server renders name their action in `data-action`; `data` holds their targets. */
export function runAction(action, data, value) {
  switch (action) {
    case 'close':
      return call('POST', `${thread(data.thread)}/close`);
    case 'reopen':
      return call('POST', `${thread(data.thread)}/reopen`);
    case 'assign':
      return call('POST', `${thread(data.thread)}/assign`, { actorId: value || null });
    case 'contact-owner':
      return call('PUT', `/_sandbox/inbox/contacts/${encodeURIComponent(data.contact)}/owner`, {
        ownerId: value || null,
      });
    case 'rename':
      return call('PATCH', account(data.account), { name: value });
    case 'move':
      return call('PATCH', account(data.account), { inboxId: value });
    case 'turn-off':
      return call('PATCH', account(data.account), { authorized: false });
    case 'turn-on':
      return call('PATCH', account(data.account), { authorized: true });
    case 'remove':
      return call('DELETE', account(data.account));
    default:
      throw new Error(`Unknown action ${action}`);
  }
}
