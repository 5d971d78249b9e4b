import { Router } from 'express';
import { conversationOf } from './conversation.js';
import { deliveryMarks } from './delivery-marks.js';
import { API_SETUP_PATH } from './page-numbers.js';
import { PAGE_SCRIPT } from './page-script.js';
import { SHARE_SCRIPT } from './page-share-script.js';
import type { WhatsAppSandboxState } from './state.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px system-ui,sans-serif;background:#d1d7db;height:100vh;display:flex;justify-content:center}
main{width:100%;max-width:520px;height:100vh;display:flex;flex-direction:column;background:#efeae2}
header{background:#008069;color:#fff;padding:.7rem 1rem}header h1{font-size:1.05rem;margin:0}header small{opacity:.85}
.who{display:flex;gap:.4rem;margin-top:.4rem}.who input{flex:1;border:0;border-radius:4px;padding:.25rem .4rem;font:inherit;font-size:.85rem}
#messages{flex:1;overflow-y:auto;list-style:none;margin:0;padding:1rem;display:flex;flex-direction:column;gap:.35rem}
.bubble{max-width:78%;padding:.35rem .55rem .25rem;border-radius:8px;box-shadow:0 1px .5px rgba(0,0,0,.13);background:#fff;align-self:flex-start;cursor:default}
.bubble.in{align-self:flex-end;background:#d9fdd3}.bubble.out{cursor:pointer}
.bubble p{margin:.1rem 0;white-space:pre-wrap;word-wrap:break-word}.bubble img.image{max-width:100%;border-radius:6px;display:block}
.bubble img.sticker{width:120px;height:120px;object-fit:contain;display:block}.bubble video{max-width:100%;border-radius:6px}
.bubble blockquote{margin:0 0 .2rem;padding:.2rem .4rem;border-left:3px solid #06cf9c;background:rgba(0,0,0,.05);font-size:.85rem;border-radius:4px}
.meta{display:block;text-align:right;font-size:.7rem;color:#667781}.ticks.read{color:#53bdeb}.ticks.failed{color:#d33}
.failure{color:#b00;font-size:.8rem}
.bubble.voice::before{content:'Voice note';display:block;font-size:.7rem;color:#667781;margin-bottom:.15rem}.bubble[data-type=sticker]{background:transparent;box-shadow:none}
.doc{display:inline-block;padding:.4rem .6rem;background:rgba(0,0,0,.05);border-radius:6px;color:#111;text-decoration:none}.doc::before{content:attr(data-ext);font-size:.65rem;font-weight:700;background:#e53935;color:#fff;border-radius:3px;padding:.1rem .25rem;margin-right:.4rem}
.bubble code{font-family:ui-monospace,monospace;background:rgba(0,0,0,.06);padding:0 .2rem}
form{background:#f0f2f5;padding:.5rem;display:flex;flex-direction:column;gap:.35rem}
.row{display:flex;gap:.4rem;align-items:center}.row input[type=text]{flex:1;border:0;border-radius:8px;padding:.6rem;font:inherit}
button{border:0;border-radius:50%;width:2.6rem;height:2.6rem;background:#008069;color:#fff;font-size:1.1rem;cursor:pointer}
#clear-file,#cancel-reply{width:auto;height:auto;border-radius:4px;padding:.1rem .4rem;background:#8696a0;font-size:.8rem}
label.attach{cursor:pointer;font-size:1.3rem;position:relative;border-radius:4px}#file{position:absolute;width:1px;height:1px;opacity:0;overflow:hidden}select{border:0;border-radius:6px;padding:.3rem;font:inherit;font-size:.85rem}
#file-name{font-size:.8rem;color:#444}#error{color:#b00;font-size:.8rem;margin:0}
#reply-bar{font-size:.8rem;background:#fff;border-left:3px solid #06cf9c;padding:.2rem .4rem;border-radius:4px}
body.dragging main{outline:3px dashed #008069;outline-offset:-8px}
[hidden]{display:none!important}
.ticks.delivered{color:#4a8f3c}.ticks.retrying{color:#b07400}
.numbers{display:flex;flex-wrap:wrap;gap:.3rem .8rem;align-items:center;margin-top:.4rem;font-size:.85rem}
.numbers label{display:flex;gap:.35rem;align-items:center;min-width:0}.numbers select{max-width:22rem;min-width:0}.numbers a{color:#fff}
button.text{width:auto;height:auto;border-radius:14px;padding:.3rem .7rem;font-size:.85rem}button.text.secondary{background:#8696a0}
button.share-toggle{background:#fff;color:#008069}button.share-toggle[aria-expanded=true]{background:#008069;color:#fff}
fieldset.share{border:1px solid #d1d7db;border-radius:8px;margin:0;padding:.35rem .6rem .5rem;display:flex;flex-direction:column;gap:.35rem;min-width:0;background:#fff}
fieldset.share legend{font-size:.8rem;font-weight:600;color:#008069}
.share .fields{display:flex;flex-wrap:wrap;gap:.35rem .6rem}.share label{display:flex;flex-direction:column;font-size:.75rem;color:#54656f;flex:1 1 8rem;min-width:0}
.share input{font:inherit;font-size:.9rem;border:1px solid #d1d7db;border-radius:6px;padding:.25rem .4rem;min-width:0}.share .buttons{display:flex;gap:.4rem}
button:focus-visible,select:focus-visible,input:focus-visible,a:focus-visible,label.attach:focus-within{outline:2px solid #005c4b;outline-offset:2px}
header a:focus-visible,header input:focus-visible,header select:focus-visible{outline-color:#fff}
@media (max-height:560px){body{height:auto;min-height:100vh}main{height:auto;min-height:100vh}#messages{flex:none;height:16rem}}
`;

const COMPOSER = `<form id="composer">
<div id="reply-bar" hidden>Replying to: <span id="reply-text"></span> <button type="button" id="cancel-reply" aria-label="Cancel the reply">✕</button></div>
<fieldset id="location-form" class="share" hidden><legend>Send a location</legend>
<div class="fields"><label>Latitude<input type="text" id="loc-lat" inputmode="decimal" value="51.5033" autocomplete="off"></label><label>Longitude<input type="text" id="loc-lon" inputmode="decimal" value="-0.1196" autocomplete="off"></label>
<label>Place name (optional)<input type="text" id="loc-name" autocomplete="off" placeholder="London Eye"></label><label>Address (optional)<input type="text" id="loc-address" autocomplete="off" placeholder="Riverside Building, London SE1 7PB"></label></div>
<div class="buttons"><button type="button" class="text" id="send-location">Send location</button><button type="button" class="text secondary" id="close-location">Cancel</button></div></fieldset>
<fieldset id="contact-form" class="share" hidden><legend>Send a contact</legend>
<div class="fields"><label>Phone number<input type="text" id="contact-phone" inputmode="tel" value="+44 7700 900456" autocomplete="off"></label><label>First name<input type="text" id="contact-first" value="Sam" autocomplete="off"></label><label>Last name (optional)<input type="text" id="contact-last" value="Lee" autocomplete="off"></label></div>
<div class="buttons"><button type="button" class="text" id="send-contact">Send contact</button><button type="button" class="text secondary" id="close-contact">Cancel</button></div></fieldset>
<div class="row"><label class="attach" title="Attach a file (or drop one anywhere)"><svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true"><path fill="#54656f" d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z"/></svg><input type="file" id="file" aria-label="Attach a file"></label>
<select id="kind" aria-label="Send the file as"><option value="image">image</option><option value="video">video</option><option value="audio">audio</option><option value="voice">voice note</option><option value="sticker">sticker</option><option value="document">document</option></select>
<span id="file-name"></span><button type="button" id="clear-file" hidden aria-label="Remove the file">✕</button>
<button type="button" class="text share-toggle" id="open-location" aria-expanded="false" aria-controls="location-form">Location</button><button type="button" class="text share-toggle" id="open-contact" aria-expanded="false" aria-controls="contact-form">Contact</button></div>
<div class="row"><input type="text" id="text" aria-label="Message" placeholder="Type a message" autocomplete="off"><button type="submit" id="send" aria-label="Send">➤</button></div>
<p id="error" role="alert"></p>
</form>`;

/**
 * `GET /_sandbox/whatsapp/`: a WhatsApp-like chat where a person writes as the customer of one business number. The
 * routes are the first number's paths; another number's page is the same, served under `root`
 * (`/_sandbox/whatsapp/numbers/:phoneNumberId`, numbers.ts), which its script uses for every call.
 */
export function customerPage(state: WhatsAppSandboxState, root = '/_sandbox/whatsapp'): Router {
  const router = Router();
  router.get('/_sandbox/whatsapp/conversation/:waId', function conversation(req, res) {
    const marks = deliveryMarks(state);
    const lines = conversationOf(state, req.params.waId).map((line) =>
      line.direction === 'in' ? { ...line, delivery: marks.get(line.wamid) } : line,
    );
    res.json({ lines });
  });
  router.get(['/_sandbox/whatsapp', '/_sandbox/whatsapp/'], function page(_req, res) {
    const { verifiedName, displayPhoneNumber, phoneNumberId } = state.options;
    res.type('html')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>WhatsApp customer (sandbox)</title><link rel="icon" href="data:,"><style>${STYLE}</style></head><body data-root="${escape(root)}" data-number="${escape(phoneNumberId)}"><main>
<header><h1>${escape(verifiedName)}</h1><small>+${escape(displayPhoneNumber)} · WhatsApp sandbox: you are the customer</small>
<div class="who"><input id="wa-name" aria-label="Your name" value="Jane Customer"><input id="wa-id" aria-label="Your WhatsApp number" value="447700900123"></div>
<div class="numbers"><label>Business number <select id="number-pick"><option value="${escape(phoneNumberId)}">${escape(verifiedName)} (+${escape(displayPhoneNumber)})</option></select></label>
<a href="${API_SETUP_PATH}" id="setup-link">API setup: numbers and credentials</a></div></header>
<ul id="messages" aria-live="polite" aria-label="Messages"></ul>
${COMPOSER}</main><script type="module">${PAGE_SCRIPT}${SHARE_SCRIPT}</script></body></html>`);
  });
  return router;
}
