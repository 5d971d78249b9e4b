import { Router } from 'express';
import { SANDBOX_PATH } from './control.js';
import { PAGE_SCRIPT } from './page-script.js';
import type { TwilioSandboxState } from './state.js';

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px system-ui,sans-serif;background:#e9ecef;display:flex;justify-content:center}
main{width:100%;max-width:480px;height:100vh;display:flex;flex-direction:column;background:#fff}
header{background:#f22f46;color:#fff;padding:.6rem 1rem}header h1{font-size:1rem;margin:0}header label{font-size:.85rem}
header input{border:0;border-radius:4px;padding:.2rem .4rem;font:inherit;width:11rem}
#opted{background:#fff3cd;color:#664d03;padding:.3rem 1rem;font-size:.85rem;margin:0}
#messages{flex:1;overflow-y:auto;list-style:none;margin:0;padding:1rem;display:flex;flex-direction:column;gap:.4rem}
.bubble{max-width:78%;padding:.45rem .7rem;border-radius:18px;background:#e5e5ea;align-self:flex-start}
.bubble.in{align-self:flex-end;background:#0b84fe;color:#fff}.bubble p{margin:0;white-space:pre-wrap;word-wrap:break-word}
.bubble img{max-width:100%;border-radius:12px;display:block;margin-bottom:.2rem}.meta{display:block;font-size:.7rem;opacity:.75;margin-top:.15rem}
form{display:flex;flex-direction:column;gap:.3rem;padding:.5rem;border-top:1px solid #ddd}
.row{display:flex;gap:.4rem;align-items:center}#text{flex:1;border:1px solid #ccc;border-radius:18px;padding:.5rem .8rem;font:inherit}
button{border:0;border-radius:16px;padding:.45rem .9rem;background:#0b84fe;color:#fff;font:inherit;cursor:pointer}button.secondary{background:#8e8e93}
#error{color:#b00;font-size:.8rem;margin:0}#file-name{font-size:.8rem;color:#444}[hidden]{display:none!important}`;

/** `GET /_sandbox/twilio/`: a phone's messages app where a person plays the customer texting the business number. */
export function customerPage(state: TwilioSandboxState): Router {
  const router = Router();
  router.get([`${SANDBOX_PATH}`, `${SANDBOX_PATH}/`], function page(_req, res) {
    res.type('html')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Twilio SMS sandbox: customer</title><style>${STYLE}</style></head><body><main>
<header><h1>SMS to <span id="business">${state.numbers[0]!.phoneNumber}</span></h1>
<label>You are <input id="me" value="+15551234567" aria-label="Your phone number"></label></header>
<p id="opted" hidden>You texted STOP: the business cannot text you until you send START.</p>
<ul id="messages" aria-live="polite"></ul>
<form id="composer"><div class="row"><input id="text" aria-label="Message" placeholder="Text message" autocomplete="off">
<button id="send" type="submit">Send</button></div>
<div class="row"><label>Attach a picture <input id="file" type="file" accept="image/*,video/*,audio/*,application/pdf"></label><span id="file-name"></span></div>
<div class="row"><button id="stop" type="button" class="secondary">Send STOP</button><button id="start" type="button" class="secondary">Send START</button></div>
<p id="error" role="alert"></p></form></main><script>${PAGE_SCRIPT}</script></body></html>`);
  });
  return router;
}
