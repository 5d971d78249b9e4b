import type { RequestHandler } from 'express';
import { fromLoopback } from './loopback.js';
import { NUMBERS_SCRIPT } from './page-numbers-script.js';

/** Where the emulator's stand-in for Meta's app dashboard (WhatsApp → API Setup) lives. */
export const API_SETUP_PATH = '/_sandbox/whatsapp/api-setup';

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,sans-serif;background:#f0f2f5;color:#111b21}
main{max-width:820px;margin:0 auto;padding:1rem 1.25rem 2rem}
header{display:flex;flex-wrap:wrap;align-items:baseline;gap:.3rem 1rem}h1{font-size:1.3rem;margin:.2rem 0}h2{font-size:1.05rem;margin:0 0 .5rem}
.lead{margin:.3rem 0 1rem;color:#3b4a54}a{color:#00684f}
section{background:#fff;border:1px solid #d1d7db;border-radius:10px;padding:.9rem 1rem;margin-bottom:1rem}
form{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:flex-end}
label{display:flex;flex-direction:column;gap:.2rem;font-size:.85rem;color:#3b4a54;flex:1 1 14rem;min-width:0}
input{font:inherit;border:1px solid #b8c2c9;border-radius:6px;padding:.4rem .55rem;min-width:0}
button{font:inherit;font-size:.9rem;border:0;border-radius:6px;padding:.45rem .9rem;background:#008069;color:#fff;cursor:pointer}
button.quiet{background:#e7f3ef;color:#00684f;padding:.25rem .6rem;font-size:.85rem}button:disabled{opacity:.6;cursor:default}
button:focus-visible,input:focus-visible,a:focus-visible{outline:2px solid #005c4b;outline-offset:2px}
.status{margin:.5rem 0 0;font-size:.9rem;color:#1f7a3a;min-height:1.2em}.status.error{color:#b3261e}
#numbers{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:.9rem}
.number{border:1px solid #e3e7ea;border-radius:8px;padding:.7rem .8rem;display:flex;flex-direction:column;gap:.6rem}
.number.new{border-color:#008069;box-shadow:0 0 0 2px rgba(0,128,105,.2)}
.number h3{font-size:1rem;margin:0;display:flex;flex-wrap:wrap;gap:.2rem .6rem;align-items:baseline}.number h3 small{font-weight:400;color:#54656f}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.35rem .8rem;margin:0;align-items:center}dt{font-size:.85rem;color:#54656f}dd{margin:0;min-width:0}
.value{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}code{font:13px ui-monospace,monospace;background:#f2f4f5;border-radius:4px;padding:.15rem .35rem;overflow-wrap:anywhere}
fieldset{border:1px solid #e3e7ea;border-radius:8px;margin:0;padding:.4rem .7rem .7rem;min-width:0}legend{font-size:.85rem;font-weight:600;color:#00684f}
.muted{color:#54656f;font-size:.85rem}.ok{color:#1f7a3a}.warn{color:#a15c00}
`;

/**
 * `GET /_sandbox/whatsapp/api-setup`: what a tester would do in Meta's app dashboard, on a page: add a business number,
 * copy the phone number id, access token and app secret into the bridge's connect popup, and save the callback URL and
 * verify token the bridge then shows as the number's webhook. Everything comes from `GET /_sandbox/whatsapp/numbers`
 * (numbers.ts), credentials only for a request from this machine.
 */
export function apiSetupPage(): RequestHandler {
  return function apiSetup(req, res) {
    const local = fromLoopback(req);
    res.type('html')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>API setup (WhatsApp sandbox)</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body data-root="/_sandbox/whatsapp"><main>
<header><h1>API setup</h1><a href="/_sandbox/whatsapp/">Back to the customer chat</a></header>
<p class="lead">The WhatsApp sandbox's stand-in for Meta's app dashboard. To connect a number to HubSpot, paste its phone number id,
access token and app secret into the bridge's connect popup (HubSpot → Inbox settings → Connect a channel → WhatsApp Business number).
The bridge then shows a callback URL and a verify token: save them below as the number's webhook, as under WhatsApp → Configuration in Meta's dashboard.</p>
<section aria-labelledby="add-title"><h2 id="add-title">Add a phone number</h2>
<form id="new-number"><label>Business name<input type="text" id="number-name" value="Acme Support" maxlength="100" autocomplete="off"></label>
<label>Phone number (optional)<input type="text" id="number-phone" inputmode="tel" autocomplete="off" placeholder="a new +1 555 number"></label>
<button type="submit" id="create-number">Add number</button></form>
<p id="status" class="status" role="status"></p></section>
<section aria-labelledby="numbers-title"><h2 id="numbers-title">Phone numbers</h2>
${local ? '' : '<p class="warn">Access tokens and app secrets show only on the machine that runs the sandbox.</p>'}
<ul id="numbers"></ul></section>
</main><script type="module">${NUMBERS_SCRIPT}</script></body></html>`);
  };
}
