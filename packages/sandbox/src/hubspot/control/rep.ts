import { Router } from 'express';
import { z } from 'zod';
import { assignThread, getPortal, getThread, replyAsRep, setThreadStatus, uploadRepFile } from '../actions.js';
import { validationError } from '../errors.js';
import { readMultipart } from '../multipart.js';
import { publicFile, publicMessage, publicThread } from '../public.js';
import type { HubSpotSandboxState, SandboxMessage } from '../state.js';
import { parseOrThrow } from '../validate.js';

const replyBody = z.object({
  text: z.string().optional(),
  richText: z.string().optional(),
  fileIds: z.array(z.string().min(1)).max(20).optional(),
  senderName: z.string().min(1).optional(),
  /** The message in the thread the rep replies to; default: the customer's latest. */
  inReplyToId: z.string().min(1).optional(),
});
const assignBody = z.object({ actorId: z.string().min(1).nullable() });

/** A message as HubSpot shows it, plus the statuses the integration reported (sandbox-only). */
export const messageView = (state: HubSpotSandboxState, m: SandboxMessage) => ({
  ...publicMessage(state, m),
  statusUpdates: m.statusUpdates ?? [],
});

/** `/_sandbox/threads/*` and `/_sandbox/files`: acting as a rep. */
export function repControlRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  router.get('/_sandbox/threads', function listThreads(req, res) {
    const { portalId, inboxId, channelId, status } = req.query;
    const threads = [...state.threads.values()]
      .map((t) => publicThread(state, t))
      .filter(
        (t) =>
          (!inboxId || t.inboxId === inboxId) &&
          (!channelId || t.originalChannelId === channelId) &&
          (!status || t.status === status),
      )
      .filter((t) => !portalId || state.threads.get(t.id)?.portalId === portalId);
    res.json({ threads });
  });
  router.get('/_sandbox/threads/:threadId', function threadView(req, res) {
    const thread = getThread(state, req.params.threadId);
    const messages = [...state.messages.values()]
      .filter((m) => m.conversationsThreadId === thread.id)
      .map((m) => messageView(state, m));
    res.json({
      thread: { ...publicThread(state, thread), integrationThreadId: thread.integrationThreadId ?? null },
      messages,
    });
  });
  router.post('/_sandbox/threads/:threadId/replies', function reply(req, res) {
    const body = parseOrThrow(replyBody, req.body ?? {});
    res.status(201).json(messageView(state, replyAsRep(state, { threadId: req.params.threadId, ...body })));
  });
  router.post('/_sandbox/threads/:threadId/close', function close(req, res) {
    res.json(publicThread(state, setThreadStatus(state, req.params.threadId, 'CLOSED')));
  });
  router.post('/_sandbox/threads/:threadId/reopen', function reopen(req, res) {
    res.json(publicThread(state, setThreadStatus(state, req.params.threadId, 'OPEN')));
  });
  router.post('/_sandbox/threads/:threadId/assign', function assign(req, res) {
    const body = parseOrThrow(assignBody, req.body ?? {});
    res.json(publicThread(state, assignThread(state, req.params.threadId, body.actorId)));
  });
  router.post('/_sandbox/files', async function upload(req, res) {
    const form = await readMultipart(req, state.options.maxFileBytes);
    const part = form.files.find((f) => f.field === 'file');
    if (!part)
      throw validationError('A multipart part named "file" is required', [{ message: 'file is required', in: 'file' }]);
    const portal = getPortal(state, form.fields.portalId);
    const file = uploadRepFile(state, {
      portalId: portal.portalId,
      bytes: part.bytes,
      fileName: form.fields.fileName ?? part.filename,
      contentType: part.contentType,
    });
    res.status(201).json(publicFile(state, file));
  });
  return router;
}
