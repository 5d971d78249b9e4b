import { Router } from 'express';
import { z } from 'zod';
import { requirePortal, SCOPES } from '../auth.js';
import { notFound } from '../errors.js';
import { publicMessage } from '../public.js';
import { publishMessage } from '../publish.js';
import { SandboxEvent, type HubSpotSandboxState } from '../state.js';
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
  preResolvedContacts: z
    .object({
      contacts: z.array(
        z.object({ contactVid: z.number().int(), contactPropertiesLeadingToMatch: z.array(z.string()).optional() }),
      ),
    })
    .optional(),
});

const statusUpdate = z.object({
  statusType: z.enum(['SENT', 'FAILED', 'READ']),
  errorMessage: z.string().optional(),
});

/** Publishing, reading and updating messages. A repeated `integrationIdempotencyId` returns the first message, 201. */
export function messageRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  for (const prefix of CHANNEL_PREFIXES) {
    const base = `${prefix}/:channelId/messages`;
    router.post(base, function publishRoute(req, res) {
      const portal = requirePortal(state, req, SCOPES.customChannelsWrite);
      const channel = liveChannel(state, pathParams(req).channelId);
      const egg = parseOrThrow(messageEgg, req.body);
      const account = portalAccount(state, portal, channel.id, egg.channelAccountId);
      // The reference lists 201 as the only success; a repeated integrationIdempotencyId answers the first message the
      // same way ([INFERRED]: HubSpot documents no other status for it).
      const { message, created } = publishMessage(state, channel, account, egg);
      if (!created) res.locals.repeatOf = message.id;
      res
        .status(201)
        .location(`${state.origin}${prefix}/${channel.id}/messages/${message.id}`)
        .json(publicMessage(state, message));
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
        ...(update.statusType === 'FAILED'
          ? { failureDetails: { errorMessage: update.errorMessage, errorMessageTokens: {} } }
          : {}),
      };
      message.updatedAt = now;
      (message.statusUpdates ??= []).push({
        statusType: update.statusType,
        ...(update.errorMessage ? { errorMessage: update.errorMessage } : {}),
        at: now,
      });
      state.events.emit(SandboxEvent.messageUpdated, { id: message.id });
      res.json(publicMessage(state, message));
    });
  }
  return router;
}
