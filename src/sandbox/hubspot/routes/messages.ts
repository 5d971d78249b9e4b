import { Router } from 'express';
import { z } from 'zod';
import { requirePortal, SCOPES } from '../auth.js';
import { notFound, validationError } from '../errors.js';
import { publicMessage } from '../public.js';
import { SandboxEvent, type HubSpotSandboxState, type SandboxMessage } from '../state.js';
import { contactIdFor, resolveThread } from '../threading.js';
import { parseOrThrow } from '../validate.js';
import { attachmentSchema } from './attachments.js';
import { CHANNEL_PREFIXES, liveChannel, participantSchema, portalAccount, pathParams } from './shared.js';

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
  attachments: z.array(attachmentSchema),
  associateWithContactId: z.number().int().optional(),
  preResolvedContacts: z.object({ contacts: z.array(z.object({ contactVid: z.number().int(), contactPropertiesLeadingToMatch: z.array(z.string()).optional() })) }).optional(),
});

const statusUpdate = z.object({
  statusType: z.enum(['SENT', 'FAILED', 'READ']),
  errorMessage: z.string().optional(),
});

/** Publishing, reading and updating messages. A repeated `integrationIdempotencyId` returns the first message, 200. */
export function messageRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  for (const prefix of CHANNEL_PREFIXES) {
    const base = `${prefix}/:channelId/messages`;
    router.post(base, function publishMessage(req, res) {
      const portal = requirePortal(state, req, SCOPES.customChannelsWrite);
      const channel = liveChannel(state, pathParams(req).channelId);
      const egg = parseOrThrow(messageEgg, req.body);
      const account = portalAccount(state, portal, channel.id, egg.channelAccountId);
      if (!account.authorized) {
        throw validationError(`Channel account ${account.id} is not authorized to publish messages`, undefined, 'CustomChannelsError.CHANNEL_ACCOUNT_NOT_AUTHORIZED');
      }
      for (const fileAttachment of egg.attachments.filter((a) => a.type === 'FILE')) {
        const file = state.files.get(String(fileAttachment.fileId));
        if (!file || file.portalId !== portal.portalId) {
          throw validationError(`File ${String(fileAttachment.fileId)} does not exist in portal ${portal.portalId}`, [{ message: 'unknown fileId', in: 'attachments' }]);
        }
      }
      const idempotencyKey = egg.integrationIdempotencyId && `${channel.id}:${egg.integrationIdempotencyId}`;
      const existing = idempotencyKey ? state.idempotency.get(idempotencyKey) : undefined;
      if (existing) {
        res.status(200).json(publicMessage(state, state.messages.get(existing)!));
        return;
      }
      const customer = egg.messageDirection === 'INCOMING' ? egg.senders : egg.recipients;
      const thread = resolveThread(state, { channel, account, integrationThreadId: egg.integrationThreadId, customer });
      const now = new Date().toISOString();
      // Actor ids: V-{contactId} for a customer, I-{appId} for the integration itself, unless senderActorId names one.
      const integrationActor = `I-${state.app.appId}`;
      const asParticipant = ({ senderActorId, ...p }: (typeof egg.senders)[number], actorId?: string) => ({ ...p, ...((senderActorId ?? actorId) ? { actorId: senderActorId ?? actorId } : {}) });
      const visitor = (p: (typeof egg.senders)[number]) => asParticipant(p, `V-${contactIdFor(state, portal.portalId, p.deliveryIdentifier)}`);
      const message: SandboxMessage = {
        id: state.nextId(),
        portalId: portal.portalId,
        channelId: channel.id,
        channelAccountId: account.id,
        conversationsThreadId: thread.id,
        direction: egg.messageDirection,
        text: egg.text,
        richText: egg.richText,
        senders: egg.messageDirection === 'INCOMING' ? egg.senders.map(visitor) : egg.senders.map((p) => asParticipant(p, integrationActor)),
        recipients: egg.messageDirection === 'OUTGOING' ? egg.recipients.map(visitor) : egg.recipients.map((p) => asParticipant(p)),
        attachments: egg.attachments,
        integrationIdempotencyId: egg.integrationIdempotencyId,
        inReplyToId: egg.inReplyToId,
        timestamp: egg.timestamp,
        createdAt: now,
        createdBy: egg.messageDirection === 'INCOMING' ? `V-${contactIdFor(state, portal.portalId, egg.senders[0]!.deliveryIdentifier)}` : integrationActor,
        status: { statusType: egg.messageDirection === 'INCOMING' ? 'RECEIVED' : 'SENT' },
      };
      state.messages.set(message.id, message);
      thread.latestMessageTimestamp = now;
      if (idempotencyKey) state.idempotency.set(idempotencyKey, message.id);
      state.events.emit(SandboxEvent.messageCreated, { id: message.id });
      res.status(201).location(`${state.origin}${prefix}/${channel.id}/messages/${message.id}`).json(publicMessage(state, message));
    });
    router.get(`${base}/:messageId`, function getMessage(req, res) {
      const portal = requirePortal(state, req, SCOPES.customChannelsRead);
      liveChannel(state, pathParams(req).channelId);
      const message = state.messages.get(pathParams(req).messageId);
      if (!message || message.portalId !== portal.portalId || message.channelId !== pathParams(req).channelId) {
        throw notFound(`Message ${pathParams(req).messageId}`);
      }
      res.json(publicMessage(state, message));
    });
    router.patch(`${base}/:messageId`, function updateMessageStatus(req, res) {
      const portal = requirePortal(state, req, SCOPES.customChannelsWrite);
      liveChannel(state, pathParams(req).channelId);
      const message = state.messages.get(pathParams(req).messageId);
      if (!message || message.portalId !== portal.portalId || message.channelId !== pathParams(req).channelId) {
        throw notFound(`Message ${pathParams(req).messageId}`);
      }
      const update = parseOrThrow(statusUpdate, req.body);
      const now = new Date().toISOString();
      message.status = {
        statusType: update.statusType,
        ...(update.statusType === 'FAILED' ? { failureDetails: { errorMessage: update.errorMessage, errorMessageTokens: {} } } : {}),
      };
      message.updatedAt = now;
      (message.statusUpdates ??= []).push({ statusType: update.statusType, ...(update.errorMessage ? { errorMessage: update.errorMessage } : {}), at: now });
      state.events.emit(SandboxEvent.messageUpdated, { id: message.id });
      res.json(publicMessage(state, message));
    });
  }
  return router;
}
