import { Router } from 'express';
import { DEFAULT_CUSTOMER } from './customer.js';
import { BOTS_PATH, botsPage } from './page-bots.js';
import { chatsPanel, CHATS_STYLE } from './page-chats.js';
import { CHATS_SCRIPT } from './page-chats-script.js';
import { pageDataRoutes } from './page-data.js';
import { PAGE_SCRIPT } from './page-script.js';
import { SHARE_SCRIPT } from './page-share-script.js';
import type { SandboxBot, TelegramSandboxState } from './state.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px system-ui,sans-serif;background:#8fb59a;height:100vh;display:flex;justify-content:center}
main{width:100%;max-width:520px;height:100vh;display:flex;flex-direction:column;background:#d6e2c8 linear-gradient(160deg,#d7e5c5,#b9d3b0)}
header{background:#fff;padding:.6rem 1rem;border-bottom:1px solid #ddd}header h1{font-size:1.05rem;margin:0}header small{color:#708499}
.who{display:flex;gap:.4rem;margin-top:.35rem;align-items:center;font-size:.8rem;color:#555}.who input[type=text]{flex:1;border:1px solid #ddd;border-radius:4px;padding:.2rem .4rem;font:inherit}
#messages{flex:1;overflow-y:auto;list-style:none;margin:0;padding:1rem;display:flex;flex-direction:column;gap:.35rem}
.bubble{max-width:78%;padding:.35rem .6rem .25rem;border-radius:12px;background:#fff;align-self:flex-start;box-shadow:0 1px 1px rgba(0,0,0,.12);cursor:pointer}
.bubble.in{align-self:flex-end;background:#effdde}
.bubble p{margin:.1rem 0;white-space:pre-wrap;word-wrap:break-word}.bubble img.photo,.bubble video.video{max-width:100%;border-radius:8px;display:block}
.bubble[data-type=sticker]{background:transparent;box-shadow:none}.sticker{width:140px;height:140px;object-fit:contain;display:block}
video.round{width:180px;height:180px;border-radius:50%;object-fit:cover}audio{display:block;max-width:260px;height:36px}
.label{display:block;font-size:.75rem;color:#3a8ccf;margin-bottom:.15rem}.tgs{font-size:2rem}
.bubble blockquote{margin:0 0 .2rem;padding:.15rem .45rem;border-left:3px solid #3a8ccf;background:rgba(58,140,207,.08);font-size:.85rem;border-radius:4px}
.doc{display:inline-block;padding:.35rem .55rem;background:rgba(58,140,207,.1);border-radius:8px;color:#1c5d93;text-decoration:none}
.doc[data-ext]::before{content:attr(data-ext);font-size:.65rem;font-weight:700;background:#3a8ccf;color:#fff;border-radius:3px;padding:.1rem .25rem;margin-right:.4rem}
.spoiler{background:#999;color:transparent}.spoiler:hover{color:inherit;background:none}
.meta{display:block;text-align:right;font-size:.7rem;color:#7a9a72}.bubble.out .meta{color:#a0acb6}
form{background:#fff;padding:.5rem;display:flex;flex-direction:column;gap:.35rem;border-top:1px solid #ddd}
.row{display:flex;gap:.4rem;align-items:center}.row input[type=text]{flex:1;border:0;padding:.6rem;font:inherit;outline:none;border-radius:6px}.row input[type=text]:focus-visible{outline:none;box-shadow:inset 0 0 0 2px #3a8ccf}
button{border:0;border-radius:50%;width:2.5rem;height:2.5rem;background:#3a8ccf;color:#fff;font-size:1.05rem;cursor:pointer}
#clear-file,#cancel-reply{width:auto;height:auto;border-radius:4px;padding:.1rem .4rem;background:#a0acb6;font-size:.8rem}
label.attach{cursor:pointer;font-size:1.3rem;position:relative;border-radius:4px}#file{position:absolute;width:1px;height:1px;opacity:0;overflow:hidden}select{border:1px solid #ddd;border-radius:6px;padding:.25rem;font:inherit;font-size:.85rem}
#file-name{font-size:.8rem;color:#444}#error{color:#c00;font-size:.8rem;margin:0}
#reply-bar{font-size:.8rem;border-left:3px solid #3a8ccf;padding:.15rem .45rem;color:#1c5d93}
body.dragging main{outline:3px dashed #3a8ccf;outline-offset:-8px}
.ticks{margin-left:.2rem}.ticks.delivered{color:#4fae4e}.ticks.retrying{color:#c98a00}.ticks.failed{color:#c00}
.bubble .failure{color:#b00;font-size:.78rem;margin:.15rem 0 0}
button.text{width:auto;height:auto;border-radius:14px;padding:.3rem .7rem;font-size:.85rem}button.text.secondary{background:#a0acb6}
button.share-toggle{background:#e8f1f8;color:#1c5d93}button.share-toggle[aria-expanded=true]{background:#3a8ccf;color:#fff}
fieldset.share{border:1px solid #d6e2ec;border-radius:8px;margin:0;padding:.35rem .6rem .5rem;display:flex;flex-direction:column;gap:.35rem;min-width:0}
fieldset.share legend{font-size:.8rem;font-weight:600;color:#3a8ccf}
.share .fields{display:flex;flex-wrap:wrap;gap:.35rem .6rem}.share label{display:flex;flex-direction:column;font-size:.75rem;color:#555;flex:1 1 8rem;min-width:0}
.share input{font:inherit;font-size:.9rem;border:1px solid #ddd;border-radius:6px;padding:.25rem .4rem;min-width:0}
.share .hint{font-size:.72rem;color:#708499;margin:0}.share .buttons{display:flex;gap:.4rem}
.bot-pick{display:flex;flex-direction:column;gap:.3rem;padding-bottom:.5rem;border-bottom:1px solid #e3e8ec}.bot-pick a{font-size:.8rem;color:#1c5d93}
a:focus-visible{outline:2px solid #3a8ccf;outline-offset:2px}[hidden]{display:none!important}
@media (max-height:560px){body{height:auto;min-height:100vh}main{height:auto;min-height:100vh}#messages{flex:none;height:16rem}body aside{max-height:none}}
`;

/** Which bot the person writes to (the page reloads with `?bot=`), and the way to the bots page for more. */
function botPicker(state: TelegramSandboxState, current: SandboxBot): string {
  const options = [...state.bots.values()].map(
    (b) =>
      `<option value="${b.id}"${b.id === current.id ? ' selected' : ''}>${escape(b.user.first_name)} (@${escape(b.user.username ?? String(b.id))})</option>`,
  );
  return `<div class="bot-pick"><label class="field">Bot<select id="bot-pick">${options.join('')}</select></label>
<a href="${BOTS_PATH}" id="bots-link">Bots and their tokens: create a bot to connect</a></div>`;
}

const COMPOSER = `<form id="composer">
<div id="reply-bar" hidden>Reply to: <span id="reply-text"></span> <button type="button" id="cancel-reply" aria-label="Cancel the reply">✕</button></div>
<fieldset id="location-form" class="share" hidden><legend>Share a location</legend>
<div class="fields"><label>Latitude<input type="text" id="loc-lat" inputmode="decimal" value="52.5200" autocomplete="off"></label><label>Longitude<input type="text" id="loc-lon" inputmode="decimal" value="13.4050" autocomplete="off"></label>
<label>Place name (optional)<input type="text" id="loc-title" autocomplete="off" placeholder="Central Station"></label><label>Address (optional)<input type="text" id="loc-address" autocomplete="off" placeholder="Europaplatz 1, Berlin"></label></div>
<p class="hint">With a place name and an address it goes as a venue, as when you pick a place on the map.</p>
<div class="buttons"><button type="button" class="text" id="send-location">Send location</button><button type="button" class="text secondary" id="close-location">Cancel</button></div></fieldset>
<fieldset id="contact-form" class="share" hidden><legend>Share a contact</legend>
<div class="fields"><label>Phone number<input type="text" id="contact-phone" inputmode="tel" value="+44 7700 900456" autocomplete="off"></label><label>First name<input type="text" id="contact-first" value="Sam" autocomplete="off"></label><label>Last name (optional)<input type="text" id="contact-last" value="Lee" autocomplete="off"></label></div>
<div class="buttons"><button type="button" class="text" id="send-contact">Send contact</button><button type="button" class="text secondary" id="close-contact">Cancel</button></div></fieldset>
<div class="row"><label class="attach" title="Attach a file (or drop one anywhere)"><svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true"><path fill="#708499" d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z"/></svg><input type="file" id="file" aria-label="Attach a file"></label>
<select id="kind" aria-label="Send the file as"><option value="photo">image</option><option value="video">video</option><option value="video_note">round video</option><option value="audio">audio</option><option value="voice">voice note</option><option value="sticker">sticker</option><option value="document">document</option></select>
<span id="file-name"></span><button type="button" id="clear-file" hidden aria-label="Remove the file">✕</button>
<button type="button" class="text share-toggle" id="open-location" aria-expanded="false" aria-controls="location-form">Location</button><button type="button" class="text share-toggle" id="open-contact" aria-expanded="false" aria-controls="contact-form">Contact</button></div>
<div class="row"><input type="text" id="text" aria-label="Message" placeholder="Write a message…" autocomplete="off"><button type="submit" id="send" aria-label="Send">➤</button></div>
<p id="error" role="alert"></p>
</form>`;

/**
 * `GET /_sandbox/telegram/`: a Telegram-like chat where a person writes as the customer: to the bot, in a group or
 * forum topic as one of its members, or to a Business account the bot is connected to. `GET
 * /_sandbox/telegram/botfather`
 * (page-bots.ts) makes more bots and shows their tokens.
 */
export function customerPage(state: TelegramSandboxState): Router {
  const router = Router();
  router.use(pageDataRoutes(state));
  router.get(BOTS_PATH, botsPage(state));
  router.get(['/_sandbox/telegram', '/_sandbox/telegram/'], function page(req, res) {
    const bot = state.bots.get(Number(req.query.bot)) ?? [...state.bots.values()][0];
    if (!bot) return void res.status(404).type('text').send('no sandbox bot');
    const customer = DEFAULT_CUSTOMER;
    res.type('html')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Telegram customer (sandbox)</title><link rel="icon" href="data:,"><style>${STYLE}${CHATS_STYLE}</style></head>
<body data-root="/_sandbox/telegram" data-bot="${bot.id}" data-bot-name="${escape(bot.user.first_name)}" data-bot-username="${escape(bot.user.username ?? '')}">${chatsPanel(botPicker(state, bot))}<main>
<header><h1 id="chat-title">${escape(bot.user.first_name)}</h1><small id="chat-sub">@${escape(bot.user.username ?? '')} · bot · Telegram sandbox: you are the customer</small>
<div class="who"><input type="text" id="first-name" aria-label="Your name" value="${escape(customer.first_name)}"><input type="text" id="user-id" aria-label="Your Telegram user id" value="${customer.id}">
<label id="block-field"><input type="checkbox" id="block"> block the bot</label><label id="member-field" hidden>Write as <select id="member"></select></label></div></header>
<ul id="messages" aria-live="polite" aria-label="Messages"></ul>
${COMPOSER}</main><script type="module">${PAGE_SCRIPT}${SHARE_SCRIPT}${CHATS_SCRIPT}</script></body></html>`);
  });
  return router;
}
