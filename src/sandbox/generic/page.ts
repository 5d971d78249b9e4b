import { Router } from 'express';
import { PAGE_SCRIPT } from './page-script.js';
import type { GenericSandboxState } from './state.js';
import { timeline } from './timeline.js';

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; background: #e9edf2; color: #1d2733; height: 100vh; display: flex; flex-direction: column; }
body.dragging { outline: 4px dashed #3d7be0; outline-offset: -8px; }
header { background: #243447; color: #fff; padding: 10px 18px; display: flex; align-items: baseline; gap: 14px; }
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
.attach { cursor: pointer; display: inline-flex; }
#pending { display: flex; flex-wrap: wrap; gap: 6px; }
.chip { background: #fff; border: 1px solid #c3cfdb; border-radius: 12px; padding: 2px 4px 2px 10px; display: flex; gap: 6px; align-items: center; font-size: 13px; }
.chip button { border: 0; background: none; cursor: pointer; font-size: 15px; }
.options { font-size: 12px; color: #5c6b7a; display: flex; gap: 12px; }
#error { color: #b3261e; }
`;

/** The customer's side of a generic connector: a page where a person writes as the customer. */
export function customerPage(state: GenericSandboxState): Router {
  const router = Router();
  router.get('/', function page(_req, res) {
    res.type('html').send(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Generic connector · customer</title><meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<header><h1>Generic connector</h1><span class="who" id="who"></span><span class="status" id="status"></span></header>
<main id="messages" aria-live="polite"></main>
<form id="composer">
  <div id="pending"></div>
  <div class="line">
    <label class="attach" title="attach files (or drop them anywhere)" aria-label="attach files"><svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true"><path d="M16.5 6.5l-7.8 7.8a2 2 0 0 0 2.8 2.8l8.1-8.1a4 4 0 0 0-5.7-5.7L5.6 11.6a6 6 0 0 0 8.5 8.5l6.4-6.4" fill="none" stroke="#4a5b6d" stroke-width="1.8" stroke-linecap="round"/></svg><input id="files" type="file" multiple hidden></label>
    <input id="text" autocomplete="off" placeholder="Write a message…" aria-label="message">
    <button id="send" type="submit">Send</button>
  </div>
  <div class="options"><label><input id="inline" type="checkbox"> send files inline (≤ 256 KiB) instead of by URL</label><span id="error" role="alert"></span></div>
</form>
<script type="module">${PAGE_SCRIPT}</script>
</body>
</html>`);
  });
  router.get('/_sandbox/generic/timeline', function conversation(req, res) {
    const threadKey = typeof req.query.thread === 'string' ? req.query.thread : 'customer-1';
    res.json({ items: timeline(state, threadKey), disabledByBridge: state.disabledByBridge, bridgeUrl: state.bridgeUrl });
  });
  return router;
}
