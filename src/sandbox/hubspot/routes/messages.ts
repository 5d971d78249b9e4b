import { Router } from 'express';
import { z } from 'zod';
import { requirePortal } from '../auth.js';
import { HubSpotSandboxError, notFound } from '../errors.js';
import type { HubSpotSandboxState, SandboxMessage, SandboxThread } from '../state.js';
import { parseOrThrow } from '../validate.js';
import { participantSchema } from './shared.js';

const messageEgg = z.object({
  text: z.string(),
  richText: z.string().optional(),
  messageDirection: z.enum(['INCOMING', 'OUTGOING']),
  channelAccountId: z.string().min(1),
  senders: z.array(participantSchema).min(1),
  recipients: z.array(participantSchema),
  timestamp: z.string().datetime({ offset: true }),
  integrationThreadId: z.string().min(1).optional(),
  integrationIdempotencyId: z.string().min(1).optional(),
  inReplyToId: z.string().optional(),
  attachments: z.array(z.record(z.unknown())),
});

/** `PublicConversationsMessage` as HubSpot returns it. */
export function publicMessage(state: HubSpotSandboxState, m: SandboxMessage) {
  return {
    id: m.id,
    type: 'MESSAGE',
    conversationsThreadId: m.conversationsThreadId,
    channelId: m.channelId,
    channelAccountId: m.channelAccountId,
    createdAt: m.createdAt,
    updatedAt: m.createdAt,
    createdBy: 'V-1',
    direction: m.direction,
    archived: false,
    client: { clientType: 'INTEGRATION', integrationAppId: state.app.appId },
    senders: m.senders,
    recipients: m.recipients,
    text: m.text,
    ...(m.richText ? { richText: m.richText } : {}),
    ...(m.inReplyToId ? { inReplyToId: m.inReplyToId } : {}),
    truncationStatus: 'NOT_TRUNCATED',
    status: m.status,
    attachments: m.attachments,
  };
}

function resolveThread(state: HubSpotSandboxState, portalId: string, accountId: string, integrationThreadId?: string): SandboxThread {
  const open = [...state.threads.values()].find(
    (t) => t.status === 'OPEN' && t.channelAccountId === accountId && integrationThreadId !== undefined && t.integrationThreadId === integrationThreadId,
  );
  if (open) return open;
  const thread: SandboxThread = {
    id: state.nextId(),
    portalId,
    channelAccountId: accountId,
    integrationThreadId,
    status: 'OPEN',
    createdAt: new Date().toISOString(),
  };
  state.threads.set(thread.id, thread);
  return thread;
}

/** Publishing and reading messages. A repeated `integrationIdempotencyId` returns the first message, 200. */
export function messageRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  const base = '/conversations/v3/custom-channels/:channelId/messages';
  router.post(base, function publishMessage(req, res) {
    const portal = requirePortal(state, req);
    const { channelId } = req.params;
    if (!state.channels.has(channelId)) throw notFound(`Channel ${channelId}`);
    const egg = parseOrThrow(messageEgg, req.body);
    const account = state.channelAccounts.get(egg.channelAccountId);
    if (!account || account.portalId !== portal.portalId || account.channelId !== channelId) {
      throw notFound(`Channel account ${egg.channelAccountId}`);
    }
    if (!account.authorized || account.archived) {
      throw new HubSpotSandboxError(400, 'VALIDATION_ERROR', `Channel account ${account.id} is not authorized to publish messages`, 'CustomChannelsError.CHANNEL_ACCOUNT_NOT_AUTHORIZED');
    }
    const idempotencyKey = egg.integrationIdempotencyId && `${channelId}:${egg.integrationIdempotencyId}`;
    const existing = idempotencyKey ? state.idempotency.get(idempotencyKey) : undefined;
    if (existing) {
      res.status(200).json(publicMessage(state, state.messages.get(existing)!));
      return;
    }
    const thread = resolveThread(state, portal.portalId, account.id, egg.integrationThreadId);
    const now = new Date().toISOString();
    const message: SandboxMessage = {
      id: state.nextId(),
      portalId: portal.portalId,
      channelId,
      channelAccountId: account.id,
      conversationsThreadId: thread.id,
      direction: egg.messageDirection,
      text: egg.text,
      richText: egg.richText,
      senders: egg.senders,
      recipients: egg.recipients,
      attachments: egg.attachments,
      integrationIdempotencyId: egg.integrationIdempotencyId,
      inReplyToId: egg.inReplyToId,
      timestamp: egg.timestamp,
      createdAt: now,
      status: { statusType: egg.messageDirection === 'INCOMING' ? 'RECEIVED' : 'SENT' },
    };
    state.messages.set(message.id, message);
    if (idempotencyKey) state.idempotency.set(idempotencyKey, message.id);
    res.status(201).location(`${req.baseUrl}${req.path}/${message.id}`).json(publicMessage(state, message));
  });
  router.get(`${base}/:messageId`, function getMessage(req, res) {
    const portal = requirePortal(state, req);
    const message = state.messages.get(req.params.messageId);
    if (!message || message.portalId !== portal.portalId || message.channelId !== req.params.channelId) {
      throw notFound(`Message ${req.params.messageId}`);
    }
    res.json(publicMessage(state, message));
  });
  return router;
}
