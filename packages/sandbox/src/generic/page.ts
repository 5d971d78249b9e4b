import { Router } from 'express';
import { CONNECTION_SCRIPT } from './page-connection-script.js';
import { PAGE_SCRIPT } from './page-script.js';
import type { GenericSandboxState } from './state.js';
import { timeline } from './timeline.js';

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; background: #e9edf2; color: #1d2733; height: 100vh; display: flex; flex-direction: column; }
body.dragging { outline: 4px dashed #3d7be0; outline-offset: -8px; }
header { background: #243447; color: #fff; padding: 10px 18px; display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 14px; }
header .status { overflow-wrap: anywhere; min-width: 0; }
header h1 { font-size: 17px; margin: 0; }
header .who { opacity: .85; }
header .status { margin-left: auto; font-size: 12px; opacity: .75; }
#messages { flex: 1; overflow-y: auto; padding: 18px; display: flex; flex-direction: column; gap: 10px; }
.row { display: flex; }
.row.customer { justify-content: flex-end; }
.bubble { max-width: 62%; padding: 8px 12px; border-radius: 14px; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.12); }
.customer .bubble { background: #d4f0c8; border-bottom-right-radius: 4px; }
.bridge .bubble { border-bottom-left-radius: 4px; }
.bubble p { margin: 0 0 4px; white-space: pre-wrap; }
.media { margin: 6px 0; display: flex; flex-direction: column; gap: 2px; }
.media img { max-width: 200px; max-height: 140px; border-radius: 8px; }
.media-sticker img { width: 96px; height: 96px; object-fit: contain; background: transparent; }
.media video { width: 220px; height: 124px; border-radius: 8px; background: #000; }
.media audio { width: 240px; height: 36px; }
.media a { color: #1c5fc2; }
.doc { align-self: flex-start; display: inline-flex; gap: 6px; align-items: center; text-decoration: none; background: #f2f6fb; border: 1px solid #cbd7e4; border-radius: 8px; padding: 6px 10px; }
.kind { font-size: 11px; color: #5c6b7a; }
.meta { font-size: 11px; color: #5c6b7a; text-align: right; }
.mark-read { font-size: 11px; border: 1px solid #9fb0c2; background: #f5f8fb; border-radius: 10px; padding: 1px 8px; cursor: pointer; }
.empty { color: #6b7a89; text-align: center; margin-top: 40px; }
form { background: #f7f9fb; border-top: 1px solid #cfd8e1; padding: 10px 14px; display: flex; flex-direction: column; gap: 6px; }
.line { display: flex; gap: 8px; align-items: center; }
#text { flex: 1; padding: 9px 12px; border: 1px solid #b9c5d1; border-radius: 18px; font: inherit; }
#send { padding: 8px 18px; border: 0; border-radius: 18px; background: #2f6fd6; color: #fff; font: inherit; cursor: pointer; }
.attach { cursor: pointer; display: inline-flex; position: relative; border-radius: 4px; }
#share { padding: 4px 16px 10px; } #share summary { cursor: pointer; color: #4a5b6d; }
.share { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin-top: 8px; } .share label { display: flex; flex-direction: column; font-size: 12px; gap: 2px; }
.share input { width: 10rem; max-width: 100%; }
#files { position: absolute; width: 1px; height: 1px; opacity: 0; overflow: hidden; }
#pending { display: flex; flex-wrap: wrap; gap: 6px; }
.chip { background: #fff; border: 1px solid #c3cfdb; border-radius: 12px; padding: 2px 4px 2px 10px; display: flex; gap: 6px; align-items: center; font-size: 13px; }
.chip button { border: 0; background: none; cursor: pointer; font-size: 15px; }
.options { font-size: 12px; color: #5c6b7a; display: flex; gap: 12px; }
#error { color: #b3261e; }
[hidden] { display: none !important; }
.ticks { font-weight: 600; margin: 0 3px; }
.ticks.delivered { color: #2f7d32; } .ticks.retrying { color: #a15c00; } .ticks.failed { color: #b3261e; }
.failure { color: #b3261e; font-size: 12px; margin: 2px 0 0; }
header button { font: inherit; font-size: 13px; border: 1px solid #9fb3c8; background: transparent; color: #fff; border-radius: 12px; padding: 2px 10px; cursor: pointer; }
#connection { background: #fff; border-bottom: 1px solid #cfd8e1; padding: 10px 18px; display: flex; flex-direction: column; gap: 8px; font-size: 14px; }
#connection h2 { font-size: 15px; margin: 0; }
#connection p { margin: 0; }
#connection .value { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
#connection code { font: 13px ui-monospace, monospace; background: #f2f5f8; border-radius: 4px; padding: 2px 6px; overflow-wrap: anywhere; }
#connection form { background: none; border: 0; padding: 0; flex-direction: row; flex-wrap: wrap; gap: 8px 12px; align-items: flex-end; }
#connection label { display: flex; flex-direction: column; gap: 2px; font-size: 13px; color: #3d4b59; flex: 1 1 16rem; min-width: 0; }
#connection input { font: inherit; border: 1px solid #b9c5d1; border-radius: 6px; padding: 5px 8px; min-width: 0; }
#connection button, #connection-status { font-size: 13px; }
#connection button { border: 0; border-radius: 6px; padding: 6px 12px; background: #2f6fd6; color: #fff; cursor: pointer; font: inherit; }
#connection button.quiet { background: #e8f0fb; color: #1c5fc2; padding: 3px 10px; }
#connection-status.error { color: #b3261e; }
button:focus-visible, input:focus-visible, select:focus-visible, a:focus-visible, .attach:focus-within { outline: 2px solid #1c5fc2; outline-offset: 2px; }
header button:focus-visible { outline-color: #fff; }
@media (max-height: 560px) { body { height: auto; min-height: 100vh; } #messages { flex: none; height: 16rem; } }
`;

/**
 * What went wrong with the last attempt to deliver a customer's message, for the page's failure mark; undefined when
 * nothing did.
 */
function deliveryProblem(state: GenericSandboxState, messageId: string): string | undefined {
  const delivery = state.outgoing.find((d) => d.type === 'message.created' && d.messageId === messageId);
  const last = delivery?.attempts.at(-1);
  if (!delivery || !last || delivery.outcome === 'delivered') return undefined;
  if (last.status === undefined) return last.error ?? 'no answer';
  const said = (delivery.lastAnswer as { error?: unknown } | undefined)?.error;
  return `the bridge answered ${last.status}${typeof said === 'string' ? `: ${said}` : ''}`;
}

/** The customer's side of a generic connector: a page where a person writes as the customer. */
export function customerPage(state: GenericSandboxState): Router {
  const router = Router();
  router.get('/', function page(_req, res) {
    res.type('html').send(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Generic connector · customer</title><link rel="icon" href="data:,"><meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<header><h1>Generic connector</h1><span class="who" id="who"></span><span class="status" id="status"></span>
<button type="button" id="open-connection" aria-expanded="false" aria-controls="connection">Connection</button></header>
<section id="connection" aria-labelledby="connection-title" hidden><h2 id="connection-title">Connect this connector to the bridge</h2>
<p>In the bridge's connect popup (HubSpot → Inbox settings → Connect a channel → Any service with signed webhooks), give this callback URL for replies:</p>
<div class="value"><code id="callback-url"></code><button type="button" class="quiet" id="copy-callback" aria-label="Copy the callback URL">Copy</button></div>
<p>The bridge then shows a webhook URL and a signing secret: save them here, and the customer's messages go to that account.</p>
<form id="connection-form"><label>Webhook URL<input type="url" id="bridge-url" autocomplete="off"></label>
<label>Signing secret<input type="password" id="signing-secret" autocomplete="off" placeholder="whsec_… (leave empty to keep the current one)"></label>
<button type="submit" id="save-connection">Save</button></form>
<p id="connection-status" role="status"></p></section>
<main id="messages" aria-live="polite"></main>
<form id="composer">
  <div id="pending"></div>
  <div class="line">
    <label class="attach" title="attach files (or drop them anywhere)" aria-label="attach files"><svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true"><path d="M16.5 6.5l-7.8 7.8a2 2 0 0 0 2.8 2.8l8.1-8.1a4 4 0 0 0-5.7-5.7L5.6 11.6a6 6 0 0 0 8.5 8.5l6.4-6.4" fill="none" stroke="#4a5b6d" stroke-width="1.8" stroke-linecap="round"/></svg><input id="files" type="file" multiple aria-label="attach files"></label>
    <input id="text" autocomplete="off" placeholder="Write a message…" aria-label="message">
    <button id="send" type="submit">Send</button>
  </div>
  <div class="options"><label><input id="inline" type="checkbox"> send files inline (≤ 256 KiB) instead of by URL</label><span id="error" role="alert"></span></div>
</form>
<details id="share"><summary>Share a location or a contact</summary>
<form id="share-location" class="share"><label>Latitude<input id="lat" type="number" step="any" min="-90" max="90" value="52.52" required></label><label>Longitude<input id="lon" type="number" step="any" min="-180" max="180" value="13.405" required></label><label>Place<input id="place" placeholder="Brandenburg Gate"></label><label>Address<input id="address" placeholder="Pariser Platz, Berlin"></label><button type="submit">Share location</button></form>
<form id="share-contact" class="share"><label>Name<input id="contact-name" required value="Ana Souza"></label><label>Phone<input id="contact-phone" value="+5511987654321"></label><label>Email<input id="contact-email" type="email" value="ana@example.com"></label><button type="submit">Share contact</button></form>
</details>
<script type="module">${PAGE_SCRIPT}${CONNECTION_SCRIPT}</script>
</body>
</html>`);
  });
  router.get('/_sandbox/generic/timeline', function conversation(req, res) {
    const threadKey = typeof req.query.thread === 'string' ? req.query.thread : 'customer-1';
    const items = timeline(state, threadKey).map((item) =>
      item.direction === 'customer' ? { ...item, reason: deliveryProblem(state, item.messageId) } : item,
    );
    res.json({ items, disabledByBridge: state.disabledByBridge, bridgeUrl: state.bridgeUrl });
  });
  return router;
}
