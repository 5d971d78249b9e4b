/**
 * The customer page's conversation panel: which chat the person is in (private, group, forum topic or
 * Business chat) and the forms that create them through the control API (control-chats.ts). Beside the
 * chat on a wide screen, above it on a narrow one. Its browser code is page-chats-script.ts.
 */

export const CHATS_STYLE = `
aside{flex:none;width:300px;height:100vh;overflow-y:auto;background:#fff;border-right:1px solid #ddd;padding:.75rem 1rem;display:flex;flex-direction:column;gap:.6rem}
aside h2{font-size:1rem;margin:0}aside [hidden]{display:none!important}
aside .field{display:flex;flex-direction:column;gap:.2rem;font-size:.8rem;color:#555}
aside .field input,aside .field select{font:inherit;font-size:.9rem;border:1px solid #ddd;border-radius:6px;padding:.35rem .45rem;color:#222;background:#fff}
aside fieldset{border:1px solid #e3e8ec;border-radius:8px;padding:.45rem .7rem .7rem;margin:0;display:flex;flex-direction:column;gap:.45rem;min-width:0}
aside legend{font-size:.8rem;font-weight:600;color:#3a8ccf;padding:0 .25rem}
aside .check{font-size:.85rem;display:flex;gap:.4rem;align-items:center}
aside button{width:auto;height:auto;border-radius:6px;padding:.4rem .8rem;font-size:.85rem;align-self:flex-start}
aside button.secondary{background:#a0acb6}aside button:disabled{opacity:.5;cursor:default}
aside .buttons{display:flex;gap:.4rem;flex-wrap:wrap}
#members-list{display:flex;flex-direction:column;gap:.2rem;max-height:7.5rem;overflow-y:auto}
.hint{font-size:.75rem;color:#708499;margin:0}#panel-error{color:#c00;font-size:.8rem;margin:0}
li.service{align-self:center;background:rgba(40,70,50,.35);color:#fff;font-size:.78rem;padding:.2rem .65rem;border-radius:10px;max-width:90%;text-align:center}
.from{display:block;font-size:.78rem;font-weight:600;margin-bottom:.1rem}
button:focus-visible,select:focus-visible,input:focus-visible,label.attach:focus-within{outline:2px solid #3a8ccf;outline-offset:2px}
@media (max-width:860px){body{flex-direction:column;align-items:center}aside{width:100%;max-width:520px;height:auto;max-height:45vh;flex:none;border-right:0;border-bottom:1px solid #ddd}main{height:auto;flex:1;min-height:0}}
`;

const KINDS = [
  ['private', 'Private chat with the bot'],
  ['group', 'Group'],
  ['topic', 'Forum topic'],
  ['business', 'Business chat'],
] as const;

/** The panel; `botPicker` (page.ts) goes first: which bot the person writes to, and the link to the bots page. */
export const chatsPanel = (botPicker: string) => `<aside id="chats" aria-label="Conversation">
${botPicker}
<h2>Conversation</h2>
<label class="field">Chat type<select id="chat-kind">${KINDS.map(([value, text]) => `<option value="${value}">${text}</option>`).join('')}</select></label>
<label class="field" id="group-field" hidden>Group<select id="group"></select></label>
<label class="field" id="topic-field" hidden>Topic<select id="topic"></select></label>
<label class="field" id="connection-field" hidden>Business account<select id="connection"></select></label>
<p class="hint" id="kind-hint">You write to the bot in your own chat with it.</p>
<fieldset id="new-topic" hidden><legend>New topic</legend>
<label class="field">Topic name<input type="text" id="topic-name" value="Shipping" autocomplete="off"></label>
<p class="hint">Opened in the chosen forum by the member in "Write as".</p>
<button type="button" id="create-topic">Open topic</button></fieldset>
<fieldset id="new-group" hidden><legend>New group</legend>
<label class="field">Title<input type="text" id="group-title" value="Beta testers" autocomplete="off"></label>
<label class="check"><input type="checkbox" id="group-forum"> Forum (messages live in topics)</label>
<fieldset><legend>Members</legend><div id="members-list"></div>
<label class="field">Other customer ids, comma-separated<input type="text" id="group-extra" autocomplete="off" placeholder="5100000002, 5100000003"></label></fieldset>
<button type="button" id="create-group">Create group</button></fieldset>
<fieldset id="business" hidden><legend>Business account</legend>
<label class="field">Owner's name<input type="text" id="owner-name" value="Mia" autocomplete="off"></label>
<label class="field">Owner's Telegram user id<input type="text" id="owner-id" value="6200000001" autocomplete="off"></label>
<div class="buttons"><button type="button" id="connect-business">Connect the bot</button><button type="button" id="disconnect-business" class="secondary">Disconnect</button></div></fieldset>
<p id="panel-error" role="alert"></p>
</aside>`;
