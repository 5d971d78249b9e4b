import { Router } from 'express';
import { z } from 'zod';
import { requireDeveloperKey } from '../auth.js';
import { notFound, validationError } from '../errors.js';
import type { HubSpotSandboxState } from '../state.js';
import { parseOrThrow } from '../validate.js';

const channelCreate = z.object({
  name: z.string().min(1),
  capabilities: z.record(z.unknown()),
  webhookUrl: z.string().url().optional(),
  channelAccountConnectionRedirectUrl: z.string().url().optional(),
  channelDescription: z.string().optional(),
  channelLogoUrl: z.string().optional(),
});

const PREFIXES = ['/conversations/v3/custom-channels', '/conversations/custom-channels/2026-03'];

/** Channel registration (developer API key + appId). */
export function channelRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  for (const prefix of PREFIXES) {
    router.post(prefix, function createChannel(req, res) {
      requireDeveloperKey(state, req);
      const body = parseOrThrow(channelCreate, req.body);
      const ids = body.capabilities.deliveryIdentifierTypes;
      if (ids !== undefined && (!Array.isArray(ids) || ids.some((v) => typeof v !== 'string'))) {
        throw validationError('One or more Channel Capabilities specified had invalid values: deliveryIdentifierTypes');
      }
      const channel = { id: state.nextId(), createdAt: new Date().toISOString(), ...body };
      state.channels.set(channel.id, channel);
      res.status(201).json(channel);
    });
    router.get(`${prefix}/:channelId`, function getChannel(req, res) {
      requireDeveloperKey(state, req);
      const channel = state.channels.get(req.params.channelId);
      if (!channel) throw notFound(`Channel ${req.params.channelId}`);
      res.json(channel);
    });
  }
  return router;
}
