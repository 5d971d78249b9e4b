/**
 * The conversation panel's browser code (page-chats.ts), served after page-script.ts in the same module, whose
 * helpers it uses. It keeps which chat is open (`conv`), lists the bot's groups, topics and Business connections
 * (page-data.ts), creates them through the control API (control-chats.ts), and tells page-script.ts where the open
 * chat's messages are read, where a message goes and who writes it. It ends by starting the page's polling.
 */
export const CHATS_SCRIPT = String.raw`
const conv = { kind: 'private', group: null, topic: null, connection: null };
let customers = [], groups = [], connections = [];
const botBase = root + '/bots/' + botId;
const panelError = $('panel-error');
const groupOf = (id) => groups.find((g) => g.chat.id === id);
const connectionOf = (id) => connections.find((c) => c.id === id);
const inGroup = () => conv.kind === 'group' || conv.kind === 'topic';

/** Who writes: the person in the header in a private or Business chat, the chosen member in a group. */
function writerId() { return inGroup() ? $('member').value : userId(); }
function conversationKey() { return [conv.kind, conv.group, conv.topic, conv.connection, userId(), writerId()].join(':'); }

/** Where the open chat's messages are read; null while there is no chat to read. */
function messagesUrl() {
  if (conv.kind === 'private') return botBase + '/chats/' + encodeURIComponent(userId());
  if (conv.kind === 'business') return conv.connection ? botBase + '/business-connections/' + encodeURIComponent(conv.connection) + '/chats/' + encodeURIComponent(userId()) : null;
  if (conv.group === null || (conv.kind === 'topic' && conv.topic === null)) return null;
  return botBase + '/chats/' + conv.group;
}

/** A topic shows its own thread; a group shows what is outside topics (in a forum, its General topic). */
function inConversation(m) {
  if (conv.kind === 'topic') return m.message_thread_id === conv.topic;
  if (conv.kind === 'group') return !m.is_topic_message;
  return true;
}

/** Fills the form with who writes and returns where it goes; null while there is no chat to write to. */
function sendTarget(body) {
  if (inGroup()) {
    if (!messagesUrl() || !$('member').value) return null;
    body.set('user_id', $('member').value);
    if (conv.kind === 'topic') body.set('message_thread_id', String(conv.topic));
    return botBase + '/groups/' + conv.group + '/messages';
  }
  body.set('user_id', userId());
  body.set('first_name', $('first-name').value.trim() || 'Customer');
  if (conv.kind === 'private') return botBase + '/messages';
  return conv.connection ? botBase + '/business-connections/' + encodeURIComponent(conv.connection) + '/messages' : null;
}

function emptyHint() {
  if (conv.kind === 'private') return 'Write to the bot to start the chat.';
  if (conv.kind === 'business') return conv.connection ? 'Write to this Business account: the bot answers for it.' : 'Connect the bot to a Business account first.';
  if (conv.group === null) return conv.kind === 'topic' ? 'Create a forum group first.' : 'Create a group first.';
  if (conv.kind === 'topic' && conv.topic === null) return 'Open a topic in this forum first.';
  return 'No messages here yet.';
}

/** Replaces a select's options only when they changed (keeping focus and choice); answers the chosen value. */
function fill(select, options, wanted, empty) {
  const key = JSON.stringify([options, empty]);
  if (select.dataset.key !== key) {
    select.dataset.key = key;
    select.innerHTML = options.length ? options.map(([v, text]) => '<option value="' + esc(String(v)) + '">' + esc(text) + '</option>').join('') : '<option value="">' + esc(empty) + '</option>';
  }
  select.disabled = options.length === 0;
  const chosen = options.find(([v]) => String(v) === String(wanted)) || options[0];
  select.value = chosen ? String(chosen[0]) : '';
  return chosen ? chosen[0] : null;
}

function memberChoices() {
  const self = { id: Number(userId()), first_name: $('first-name').value.trim() || 'You' };
  const people = customers.some((c) => c.id === self.id) ? customers : [self, ...customers];
  const key = JSON.stringify(people.map((c) => [c.id, fullName(c)]));
  const box = $('members-list');
  if (box.dataset.key === key) return;
  const checked = box.dataset.key ? new Set([...box.querySelectorAll('input:checked')].map((i) => Number(i.value))) : new Set([self.id]);
  box.dataset.key = key;
  box.innerHTML = people.map((c) => '<label class="check"><input type="checkbox" value="' + c.id + '"' + (checked.has(c.id) ? ' checked' : '') + '> ' +
    esc(fullName(c)) + ' (' + c.id + ')' + (c.id === self.id ? ', you' : '') + '</label>').join('');
}

/** Brings the panel and the header in line with conv and the lists. */
function render() {
  const forums = conv.kind === 'topic' ? groups.filter((g) => g.chat.is_forum) : groups;
  conv.group = fill($('group'), forums.map((g) => [g.chat.id, g.chat.title + (g.chat.is_forum ? ' (forum)' : '')]), conv.group, conv.kind === 'topic' ? 'No forum yet' : 'No group yet');
  const group = groupOf(conv.group);
  const topics = conv.kind === 'topic' && group ? group.topics : [];
  conv.topic = fill($('topic'), topics.map((t) => [t.message_thread_id, t.name]), conv.topic, 'No topic yet');
  const members = group ? group.members : [];
  const current = $('member').value || userId();
  fill($('member'), members.map((u) => [u.id, fullName(u) + ' (' + u.id + ')']), current, 'No members');
  conv.connection = fill($('connection'), connections.map((c) => [c.id, fullName(c.user) + (c.is_enabled ? '' : ' (disconnected)')]), conv.connection, 'None connected yet');
  memberChoices();
  const show = { 'group-field': inGroup(), 'topic-field': conv.kind === 'topic', 'new-topic': conv.kind === 'topic', 'new-group': inGroup(),
    'connection-field': conv.kind === 'business', business: conv.kind === 'business', 'member-field': inGroup(), 'first-name': !inGroup(),
    'user-id': !inGroup(), 'block-field': conv.kind === 'private' };
  for (const [id, visible] of Object.entries(show)) $(id).hidden = !visible;
  $('create-topic').disabled = !group || !group.chat.is_forum;
  const connection = connectionOf(conv.connection);
  $('disconnect-business').disabled = !connection || !connection.is_enabled;
  $('kind-hint').textContent = { private: 'You write to the bot in your own chat with it.', group: 'Members write in the group; the bot is one of them.',
    topic: 'A forum keeps each subject in its own topic.', business: 'You write to a Business account; the bot answers for it.' }[conv.kind];
  header(group, connection);
}

function header(group, connection) {
  const [title, sub] = conv.kind === 'private' ? [document.body.dataset.botName, '@' + document.body.dataset.botUsername + ' · bot · Telegram sandbox: you are the customer']
    : conv.kind === 'business' ? (connection ? [fullName(connection.user), 'Business account · @' + document.body.dataset.botUsername + ' answers for it' + (connection.is_enabled ? '' : ' · disconnected')] : ['Business chat', 'no Business account connected'])
    : !group ? ['No group', 'create one in the panel']
    : conv.kind === 'topic' ? ['# ' + ((group.topics.find((t) => t.message_thread_id === conv.topic) || {}).name || 'no topic'), 'topic in ' + group.chat.title]
    : [group.chat.title, group.members.length + ' members and @' + document.body.dataset.botUsername + (group.chat.is_forum ? ' · forum: General topic' : '')];
  $('chat-title').textContent = title;
  $('chat-sub').textContent = sub;
}

async function loadLists() {
  try {
    const read = (url) => fetch(url).then((r) => r.json());
    const [c, g, b] = await Promise.all([read(root + '/customers'), read(botBase + '/groups'), read(botBase + '/business-connections')]);
    [customers, groups, connections] = [c.customers, g.groups, b.connections];
    render();
  } catch (e) { /* the sandbox restarted; try again on the next tick */ }
}

/** A control API call from the panel: JSON in and out, its refusal shown in the panel. */
async function control(path, body) {
  panelError.textContent = '';
  const res = await fetch(botBase + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await res.json();
  if (!res.ok) { panelError.textContent = answer.error || 'the sandbox refused'; return null; }
  return answer;
}
/** Another chat is open: what was typed stays, a reply and an error about the last chat do not. */
function reopen() { render(); setReply(null); error.textContent = ''; refresh(); }
const switched = async () => { await loadLists(); reopen(); };

$('chat-kind').addEventListener('change', (e) => { conv.kind = e.target.value; reopen(); });
$('group').addEventListener('change', (e) => { conv.group = Number(e.target.value); conv.topic = null; reopen(); });
$('topic').addEventListener('change', (e) => { conv.topic = Number(e.target.value); reopen(); });
$('connection').addEventListener('change', (e) => { conv.connection = e.target.value; reopen(); });
$('member').addEventListener('change', refresh);
$('create-group').addEventListener('click', async () => {
  const extra = $('group-extra').value.split(/[\s,]+/).filter(Boolean);
  if (extra.some((id) => !/^\d+$/.test(id))) { panelError.textContent = 'customer ids are whole numbers'; return; }
  const ids = [...$('members-list').querySelectorAll('input:checked')].map((i) => Number(i.value)).concat(extra.map(Number));
  const answer = await control('/groups', { title: $('group-title').value.trim() || 'Sandbox group', is_forum: $('group-forum').checked, member_ids: [...new Set(ids)] });
  if (!answer) return;
  conv.group = answer.chat.id;
  conv.topic = null;
  $('group-extra').value = '';
  await switched();
});
$('create-topic').addEventListener('click', async () => {
  const answer = await control('/groups/' + conv.group + '/topics', { name: $('topic-name').value.trim() || 'Topic', user_id: Number($('member').value) });
  if (!answer) return;
  conv.topic = answer.message_thread_id;
  await switched();
});
$('connect-business').addEventListener('click', async () => {
  const owner = { id: Number($('owner-id').value.trim()), first_name: $('owner-name').value.trim() || 'Business' };
  if (!Number.isInteger(owner.id) || owner.id <= 0) { panelError.textContent = "the owner's id is a whole number"; return; }
  const known = connections.find((c) => c.user.id === owner.id);
  const answer = await control('/business-connections', { from: owner, is_enabled: true, ...(known ? { connection_id: known.id } : {}) });
  if (!answer) return;
  conv.connection = answer.connection.id;
  await switched();
});
$('disconnect-business').addEventListener('click', async () => {
  const connection = connectionOf(conv.connection);
  if (connection && await control('/business-connections', { from: { id: connection.user.id }, connection_id: connection.id, is_enabled: false })) await switched();
});
for (const id of ['user-id', 'first-name']) $(id).addEventListener('change', () => { render(); refresh(); });

loadLists();
refresh();
setInterval(refresh, 700);
setInterval(loadLists, 2000);
`;
