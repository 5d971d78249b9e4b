import { Router } from 'express';
import { z } from 'zod';
import {
  addFault,
  clearFaults,
  createInbox,
  editAccount,
  finishConnect,
  removeAccount,
  startConnect,
} from '../actions.js';
import { HubSpotSandboxError } from '../errors.js';
import { publicAccount, publicInbox, publicStagingToken } from '../public.js';
import type { HubSpotSandboxState } from '../state.js';
import { parseOrThrow } from '../validate.js';

const connectBody = z.object({
  channelId: z.string().min(1),
  portalId: z.string().min(1).optional(),
  inboxId: z.string().min(1).optional(),
});
const editBody = z.object({
  name: z.string().min(1).optional(),
  inboxId: z.string().min(1).optional(),
  authorized: z.boolean().optional(),
  active: z.boolean().optional(),
});
const inboxBody = z.object({
  name: z.string().min(1),
  portalId: z.string().min(1).optional(),
  type: z.enum(['INBOX', 'HELP_DESK']).optional(),
});
const faultBody = z.object({
  kind: z.enum(['status', 'rate-limit', 'latency', 'drop', 'timeout-after-accept']),
  status: z.number().int().optional(),
  latencyMs: z.number().positive().optional(),
  pathContains: z.string().min(1).optional(),
  method: z.string().min(1).optional(),
  count: z.number().int().positive().optional(),
  share: z.number().optional(),
});

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `/_sandbox/connect`, `/_sandbox/channel-accounts`, `/_sandbox/inboxes`, `/_sandbox/faults`: acting as an admin. */
/**
 * The popup's last page when the admin comes back by the link (the settings page closes the popup itself once HubSpot
 * has the account): styled like the inbox, with a button that closes the window a script opened, and the inbox's link.
 */
function finishedPage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="icon" href="data:,">
<style>body{font:15px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f5f8fa;color:#33475b}
main{background:#fff;border:1px solid #cbd6e2;border-radius:8px;padding:24px 28px;max-width:28rem;margin:16px}h1{font-size:1.3rem;margin:0 0 8px}
.actions{display:flex;gap:12px;flex-wrap:wrap;margin-top:16px}button,a{font:inherit;padding:6px 14px;border-radius:4px}
button{background:#ff7a59;color:#fff;border:0;cursor:pointer}a{color:#0091ae}:focus-visible{outline:3px solid #0091ae;outline-offset:2px}</style></head>
<body><main><h1>${title}</h1><p>${message}</p><div class="actions"><button type="button" onclick="window.close()">Close this window</button><a href="/">Open the inbox</a></div></main></body></html>`;
}

export function adminControlRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  router.post('/_sandbox/connect', function connect(req, res) {
    const started = startConnect(state, parseOrThrow(connectBody, req.body ?? {}));
    res.status(201).json({
      accountToken: started.stagingToken.accountToken,
      url: started.url,
      stagingToken: publicStagingToken(started.stagingToken),
    });
  });
  router.post('/_sandbox/connect/:accountToken/finish', function finish(req, res) {
    res.status(201).json(publicAccount(finishConnect(state, req.params.accountToken)));
  });
  // Where the channel's connection page sends the admin back (the `redirectUrl` it was given): finishes in a browser.
  router.get('/_sandbox/connect/:accountToken/complete', function complete(req, res) {
    try {
      const account = finishConnect(state, req.params.accountToken);
      res
        .type('html')
        .send(
          finishedPage(
            'Connected',
            `${escape(account.name)} is now connected to your inbox (channel account ${account.id}).`,
          ),
        );
    } catch (error) {
      const message = error instanceof HubSpotSandboxError ? error.message : 'Something went wrong';
      res
        .status(error instanceof HubSpotSandboxError ? error.status : 500)
        .type('html')
        .send(finishedPage('Not connected', escape(message)));
    }
  });
  router.patch('/_sandbox/channel-accounts/:accountId', function edit(req, res) {
    res.json(publicAccount(editAccount(state, req.params.accountId, parseOrThrow(editBody, req.body ?? {}))));
  });
  router.delete('/_sandbox/channel-accounts/:accountId', function remove(req, res) {
    res.json(publicAccount(removeAccount(state, req.params.accountId)));
  });
  router.get('/_sandbox/inboxes', function inboxes(req, res) {
    res.json({
      inboxes: [...state.inboxes.values()]
        .filter((i) => !req.query.portalId || i.portalId === req.query.portalId)
        .map((i) => ({ ...publicInbox(i), portalId: i.portalId })),
    });
  });
  router.post('/_sandbox/inboxes', function addInbox(req, res) {
    const inbox = createInbox(state, parseOrThrow(inboxBody, req.body ?? {}));
    res.status(201).json({ ...publicInbox(inbox), portalId: inbox.portalId });
  });
  router.get('/_sandbox/faults', function faults(_req, res) {
    res.json({ faults: state.faults });
  });
  router.post('/_sandbox/faults', function injectFault(req, res) {
    res.status(201).json(addFault(state, parseOrThrow(faultBody, req.body ?? {})));
  });
  router.delete('/_sandbox/faults', function clearAll(_req, res) {
    clearFaults(state);
    res.status(204).end();
  });
  router.delete('/_sandbox/faults/:faultId', function clearOne(req, res) {
    clearFaults(state, req.params.faultId);
    res.status(204).end();
  });
  return router;
}
