import fs from 'node:fs';
import path from 'node:path';
import { Router, type Request } from 'express';
import type { HubSpotSandboxState } from '../state.js';
import { inboxVersion, unreadMessages } from './changes.js';
import { signedFileLookup } from './files.js';
import { html } from './html.js';
import { contactRecord, markSeen, type ThreadFilter } from './queries.js';
import { renderContactCard, renderContactPage, renderContactRecord } from './render-contact.js';
import { renderConversationHeader, renderMessages } from './render-conversation.js';
import { renderInbox, renderThreadListFor } from './render-inbox.js';
import { renderLayout } from './render-layout.js';
import { renderSettings } from './render-settings.js';
import { routingRoutes, startRouting } from './routing.js';

const ASSETS = path.join(import.meta.dirname, 'assets');
// Only the files shipped in assets/ are served; the name is never used as a path unless it is one of them.
const ASSET_FILES = new Set(fs.readdirSync(ASSETS).filter((f) => /\.(js|css)$/.test(f)));

const one = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const filterFrom = (req: Request): ThreadFilter => ({
  q: one(req.query.q),
  accountId: one(req.query.account),
  inboxId: one(req.query.inbox),
  status: one(req.query.status),
});

/** The rep's inbox at `/`, its fragments and live-update feed under `/_sandbox/inbox/`. */
export function inboxRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  const files = signedFileLookup(state);
  startRouting(state);
  router.use(routingRoutes(state));
  const liveStart = () => ({ version: inboxVersion(state), unread: unreadMessages(state).map((m) => m.messageId) });

  router.get('/', function inboxPage(req, res) {
    if (req.query.view === 'settings') {
      const settings = html`<div class="settings" data-live="/_sandbox/inbox/fragments/settings">${renderSettings(state)}</div>`;
      res.type('html').send(String(renderLayout('settings', settings, liveStart())));
      return;
    }
    if (req.query.view === 'contact') {
      const id = one(req.query.id)?.replace(/^V-/, '') ?? '';
      res
        .status(contactRecord(state, id) ? 200 : 404)
        .type('html')
        .send(String(renderLayout('contact', renderContactPage(state, id, files), liveStart())));
      return;
    }
    const selected = one(req.query.thread);
    if (selected && state.threads.has(selected)) markSeen(state, selected);
    res
      .type('html')
      .send(String(renderLayout('inbox', renderInbox(state, filterFrom(req), selected, files), liveStart())));
  });

  router.get('/_sandbox/inbox/fragments/threads', function threadListFragment(req, res) {
    res.type('html').send(String(renderThreadListFor(state, filterFrom(req), one(req.query.thread))));
  });
  router.get('/_sandbox/inbox/fragments/threads/:id/:part', function threadFragment(req, res) {
    const thread = state.threads.get(req.params.id);
    if (!thread) {
      res
        .status(404)
        .type('html')
        .send(String(html`<p class="empty">Conversation ${req.params.id} does not exist.</p>`));
      return;
    }
    const part = req.params.part;
    const body =
      part === 'header'
        ? renderConversationHeader(state, thread)
        : part === 'contact'
          ? renderContactCard(state, thread)
          : part === 'messages'
            ? renderMessages(state, thread, files)
            : undefined;
    if (!body) {
      res.status(404).type('html').send('');
      return;
    }
    if (part === 'messages') markSeen(state, thread.id);
    res.type('html').send(String(body));
  });
  router.get('/_sandbox/inbox/fragments/contacts/:id', function contactFragment(req, res) {
    res.type('html').send(String(renderContactRecord(state, req.params.id, files)));
  });
  router.get('/_sandbox/inbox/fragments/settings', function settingsFragment(_req, res) {
    res.type('html').send(String(renderSettings(state)));
  });

  // Polled by the page about once a second; cheap, and unlike a stream it never holds a server open at shutdown.
  router.get('/_sandbox/inbox/changes', function changes(_req, res) {
    res.set('cache-control', 'no-store').json({ version: inboxVersion(state), unread: unreadMessages(state) });
  });

  router.get('/_sandbox/inbox/assets/:file', function asset(req, res) {
    if (!ASSET_FILES.has(req.params.file)) {
      res.status(404).type('text').send('no such asset');
      return;
    }
    res.set('cache-control', 'no-cache').sendFile(path.join(ASSETS, req.params.file));
  });
  return router;
}
