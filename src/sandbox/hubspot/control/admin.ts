import { Router } from 'express';
import { z } from 'zod';
import { addFault, clearFaults, createInbox, editAccount, finishConnect, removeAccount, startConnect } from '../actions.js';
import { HubSpotSandboxError } from '../errors.js';
import { publicAccount, publicInbox, publicStagingToken } from '../public.js';
import type { HubSpotSandboxState } from '../state.js';
import { parseOrThrow } from '../validate.js';

const connectBody = z.object({ channelId: z.string().min(1), portalId: z.string().min(1).optional(), inboxId: z.string().min(1).optional() });
const editBody = z.object({ name: z.string().min(1).optional(), inboxId: z.string().min(1).optional(), authorized: z.boolean().optional(), active: z.boolean().optional() });
const inboxBody = z.object({ name: z.string().min(1), portalId: z.string().min(1).optional(), type: z.enum(['INBOX', 'HELP_DESK']).optional() });
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
export function adminControlRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  router.post('/_sandbox/connect', function connect(req, res) {
    const started = startConnect(state, parseOrThrow(connectBody, req.body ?? {}));
    res.status(201).json({ accountToken: started.stagingToken.accountToken, url: started.url, stagingToken: publicStagingToken(started.stagingToken) });
  });
  router.post('/_sandbox/connect/:accountToken/finish', function finish(req, res) {
    res.status(201).json(publicAccount(finishConnect(state, req.params.accountToken)));
  });
  // Where the channel's connection page sends the admin back (the `redirectUrl` it was given): finishes in a browser.
  router.get('/_sandbox/connect/:accountToken/complete', function complete(req, res) {
    try {
      const account = finishConnect(state, req.params.accountToken);
      res.type('html').send(`<!doctype html><title>Connected</title><h1>Connected</h1><p>${escape(account.name)} is now connected to your inbox (channel account ${account.id}).</p><p><a href="/">Open the inbox</a></p>`);
    } catch (error) {
      const message = error instanceof HubSpotSandboxError ? error.message : 'Something went wrong';
      res.status(error instanceof HubSpotSandboxError ? error.status : 500).type('html').send(`<!doctype html><title>Not connected</title><h1>Not connected</h1><p>${escape(message)}</p>`);
    }
  });
  router.patch('/_sandbox/channel-accounts/:accountId', function edit(req, res) {
    res.json(publicAccount(editAccount(state, req.params.accountId, parseOrThrow(editBody, req.body ?? {}))));
  });
  router.delete('/_sandbox/channel-accounts/:accountId', function remove(req, res) {
    res.json(publicAccount(removeAccount(state, req.params.accountId)));
  });
  router.get('/_sandbox/inboxes', function inboxes(req, res) {
    res.json({ inboxes: [...state.inboxes.values()].filter((i) => !req.query.portalId || i.portalId === req.query.portalId).map((i) => ({ ...publicInbox(i), portalId: i.portalId })) });
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
