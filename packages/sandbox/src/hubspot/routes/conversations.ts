import { Router } from 'express';
import { z } from 'zod';
import { setThreadStatus } from '../actions.js';
import { requirePortal, SCOPES } from '../auth.js';
import { notFound } from '../errors.js';
import { page, publicInbox, publicMessage, publicThread } from '../public.js';
import type { HubSpotSandboxState, SandboxThread } from '../state.js';
import { parseOrThrow } from '../validate.js';

const threadUpdate = z.object({ status: z.enum(['OPEN', 'CLOSED']) });

/**
 * The documented filters of GET …/conversations/threads
 * (https://developers.hubspot.com/docs/api-reference/conversations-conversations-v3/guide):
 * `threadStatus` (OPEN | CLOSED), `inboxId` (repeatable), `associatedContactId`, `archived` (only archived ones when
 * true).
 * Other query parameters (paging, sort) pass through; `status` is not a filter HubSpot documents.
 */
const threadFilter = z
  .object({
    threadStatus: z.enum(['OPEN', 'CLOSED']).optional(),
    inboxId: z.union([z.string(), z.array(z.string())]).optional(),
    associatedContactId: z.string().optional(),
    archived: z.enum(['true', 'false']).optional(),
  })
  .passthrough();

const BASE = '/conversations/v3/conversations';

function portalThread(state: HubSpotSandboxState, portalId: string, threadId: string): SandboxThread {
  const thread = state.threads.get(threadId);
  if (!thread || thread.portalId !== portalId) throw notFound(`Thread ${threadId}`);
  return thread;
}

/** The Conversations API pieces a channel needs: inboxes, a thread, closing/reopening it, and its messages. */
export function conversationRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  router.get(`${BASE}/inboxes`, function listInboxes(req, res) {
    const portal = requirePortal(state, req, SCOPES.conversationsRead);
    const inboxes = [...state.inboxes.values()]
      .filter((i) => i.portalId === portal.portalId && !i.archived)
      .map(publicInbox);
    res.json(page(inboxes, req.query));
  });
  router.get(`${BASE}/inboxes/:inboxId`, function getInbox(req, res) {
    const portal = requirePortal(state, req, SCOPES.conversationsRead);
    const inbox = state.inboxes.get(req.params.inboxId);
    if (!inbox || inbox.portalId !== portal.portalId) throw notFound(`Inbox ${req.params.inboxId}`);
    res.json(publicInbox(inbox));
  });
  router.get(`${BASE}/threads`, function listThreads(req, res) {
    const portal = requirePortal(state, req, SCOPES.conversationsRead);
    const filter = parseOrThrow(threadFilter, req.query);
    const inboxIds = filter.inboxId === undefined ? [] : [filter.inboxId].flat();
    const threads = [...state.threads.values()]
      .filter((t) => t.portalId === portal.portalId)
      .map((t) => publicThread(state, t))
      .filter(
        (t) =>
          t.archived === (filter.archived === 'true') &&
          (inboxIds.length === 0 || inboxIds.includes(t.inboxId)) &&
          (!filter.threadStatus || t.status === filter.threadStatus) &&
          (!filter.associatedContactId || t.associatedContactId === filter.associatedContactId),
      );
    const { total: _total, ...rest } = page(threads, req.query, 20);
    res.json(rest);
  });
  router.get(`${BASE}/threads/:threadId`, function getThread(req, res) {
    const portal = requirePortal(state, req, SCOPES.conversationsRead);
    res.json(publicThread(state, portalThread(state, portal.portalId, req.params.threadId)));
  });
  router.patch(`${BASE}/threads/:threadId`, function updateThread(req, res) {
    const portal = requirePortal(state, req, SCOPES.conversationsWrite);
    const thread = portalThread(state, portal.portalId, req.params.threadId);
    const update = parseOrThrow(threadUpdate, req.body);
    res.json(publicThread(state, setThreadStatus(state, thread.id, update.status)));
  });
  router.get(`${BASE}/threads/:threadId/messages`, function threadMessages(req, res) {
    const portal = requirePortal(state, req, SCOPES.conversationsRead);
    const thread = portalThread(state, portal.portalId, req.params.threadId);
    const messages = [...state.messages.values()]
      .filter((m) => m.conversationsThreadId === thread.id)
      .map((m) => publicMessage(state, m));
    const { total: _total, ...rest } = page(messages, req.query, 100);
    res.json(rest);
  });
  return router;
}
