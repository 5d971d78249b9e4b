import type { RequestHandler } from 'express';
import { fromLoopback } from './bots.js';
import { BOTS_SCRIPT } from './page-bots-script.js';
import type { TelegramSandboxState } from './state.js';

/** Where the emulator's own @BotFather lives. */
export const BOTS_PATH = '/_sandbox/telegram/botfather';

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,sans-serif;background:#eef2f5;color:#1d2733}
main{max-width:780px;margin:0 auto;padding:1rem 1.25rem 2rem}
header{display:flex;flex-wrap:wrap;align-items:baseline;gap:.3rem 1rem}h1{font-size:1.3rem;margin:.2rem 0}h2{font-size:1.05rem;margin:0 0 .5rem}
.lead{margin:.3rem 0 1rem;color:#3d4b59}a{color:#1c5d93}
section{background:#fff;border:1px solid #d6dee6;border-radius:10px;padding:.9rem 1rem;margin-bottom:1rem}
form{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:flex-end}
label{display:flex;flex-direction:column;gap:.2rem;font-size:.85rem;color:#3d4b59;flex:1 1 14rem;min-width:0}
input{font:inherit;border:1px solid #b9c5d1;border-radius:6px;padding:.4rem .55rem;min-width:0}
button{font:inherit;font-size:.9rem;border:0;border-radius:6px;padding:.45rem .9rem;background:#3a8ccf;color:#fff;cursor:pointer}
button.quiet{background:#e8f1f8;color:#1c5d93;padding:.25rem .6rem;font-size:.85rem}
button:focus-visible,input:focus-visible,a:focus-visible{outline:2px solid #1c5d93;outline-offset:2px}
#status{margin:.6rem 0 0;font-size:.9rem;color:#2a7a2a;min-height:1.2em}#status.error{color:#b3261e}
#bots{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:.75rem}
.bot{border:1px solid #e0e6ec;border-radius:8px;padding:.7rem .8rem}.bot.new{border-color:#3a8ccf;box-shadow:0 0 0 2px rgba(58,140,207,.25)}
.bot h3{font-size:1rem;margin:0 0 .35rem;display:flex;flex-wrap:wrap;gap:.2rem .6rem;align-items:baseline}.bot h3 small{font-weight:400;color:#5c6b7a}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.35rem .8rem;margin:0;align-items:center}dt{font-size:.85rem;color:#5c6b7a}dd{margin:0;min-width:0}
.value{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}code{font:13px ui-monospace,monospace;background:#f2f5f8;border-radius:4px;padding:.15rem .35rem;overflow-wrap:anywhere}
.muted{color:#5c6b7a;font-size:.85rem}.warn{color:#a15c00;font-size:.85rem}
`;

/**
 * `GET /_sandbox/telegram/botfather`: what a tester does with @BotFather, on a page: make a bot, read its token to
 * paste
 * into the bridge's connect popup, and see whether the bot's webhook is set and delivering. The token is on the page
 * only for a request from this machine (bots.ts); the list comes from `GET /_sandbox/telegram/bots`.
 */
export function botsPage(state: TelegramSandboxState): RequestHandler {
  return function botFatherPage(req, res) {
    const local = fromLoopback(req);
    res.type('html')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>BotFather (Telegram sandbox)</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body data-root="/_sandbox/telegram" data-local="${local}"><main>
<header><h1>BotFather</h1><a href="/_sandbox/telegram/">Back to the customer chat</a></header>
<p class="lead">The Telegram sandbox's stand-in for @BotFather. Create a bot, copy its token, and paste it into the bridge's connect popup
(HubSpot → Inbox settings → Connect a channel → Telegram bot): the bridge checks the token and sets the bot's webhook itself.</p>
<section aria-labelledby="new-title"><h2 id="new-title">New bot</h2>
<form id="new-bot"><label>Name<input type="text" id="bot-name" value="Acme Support" maxlength="64" autocomplete="off" required></label>
<label>Username (optional, ends in "bot")<input type="text" id="bot-username" maxlength="32" autocomplete="off" placeholder="acme_support_bot"></label>
<button type="submit" id="create-bot">Create bot</button></form>
<p id="status" role="status"></p></section>
<section aria-labelledby="bots-title"><h2 id="bots-title">Your bots (${state.bots.size})</h2>
${local ? '' : '<p class="warn">Tokens show only on the machine that runs the sandbox.</p>'}
<ul id="bots" aria-live="polite"></ul></section>
</main><script type="module">${BOTS_SCRIPT}</script></body></html>`);
  };
}
