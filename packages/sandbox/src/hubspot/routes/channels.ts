import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { requireDeveloperKey } from '../auth.js';
import { HubSpotSandboxError } from '../errors.js';
import { page, publicChannel } from '../public.js';
import type { HubSpotSandboxState, SandboxChannel } from '../state.js';
import { parseOrThrow } from '../validate.js';
import { capabilityProblems } from './capabilities.js';
import { CHANNEL_PREFIXES, liveChannel, QUIRK_LIST_CREATE_PATH, pathParams } from './shared.js';

const channelFields = {
  name: z.string().min(1),
  capabilities: z.record(z.unknown()),
  webhookUrl: z.string().url().optional(),
  channelAccountConnectionRedirectUrl: z.string().url().optional(),
  channelDescription: z.string().optional(),
  channelLogoUrl: z.string().optional(),
};
const channelCreate = z.object(channelFields);
// The spec marks every PATCH field required (a generator quirk in HubSpot's OpenAPI,
// https://github.com/HubSpot/HubSpot-public-api-spec-collection); the sandbox merges what is sent.
const channelPatch = z.object(channelFields).partial();

function checkCapabilities(capabilities: Record<string, unknown>): void {
  const problems = capabilityProblems(capabilities);
  if (problems.length === 0) return;
  const keys = problems.map((p) => p.key);
  throw new HubSpotSandboxError(
    400,
    'VALIDATION_ERROR',
    `One or more Channel Capabilities specified had invalid values: ${keys.join(', ')}`,
    'CustomChannelsError.INVALID_CHANNEL_CAPABILITY_VALUES',
    problems.map((p) => ({
      message: p.message,
      in: `capabilities.${p.key}`,
      code: 'INVALID_CHANNEL_CAPABILITY_VALUES',
    })),
    { capabilityKeysAndValues: problems.map((p) => `${p.key}=${JSON.stringify(capabilities[p.key])}`) },
  );
}

/**
 * Channel registration and administration: the developer API key + appId
 * (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/guide; public integrations
 * call list/get/archive the same way).
 */
export function channelRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  const create: RequestHandler = function createChannel(req, res) {
    requireDeveloperKey(state, req);
    const body = parseOrThrow(channelCreate, req.body);
    checkCapabilities(body.capabilities);
    const channel: SandboxChannel = { id: state.nextId(), createdAt: new Date().toISOString(), ...body };
    state.channels.set(channel.id, channel);
    res.status(201).json(publicChannel(channel));
  };
  const list: RequestHandler = function listChannels(req, res) {
    requireDeveloperKey(state, req);
    res.json(page([...state.channels.values()].filter((c) => !c.archived).map(publicChannel), req.query));
  };
  for (const prefix of [...CHANNEL_PREFIXES, QUIRK_LIST_CREATE_PATH]) {
    router.post(prefix, create);
    router.get(prefix, list);
  }
  for (const prefix of CHANNEL_PREFIXES) {
    router.get(`${prefix}/:channelId`, function getChannel(req, res) {
      requireDeveloperKey(state, req);
      res.json(publicChannel(liveChannel(state, pathParams(req).channelId)));
    });
    router.patch(`${prefix}/:channelId`, function updateChannel(req, res) {
      requireDeveloperKey(state, req);
      const channel = liveChannel(state, pathParams(req).channelId);
      const patch = parseOrThrow(channelPatch, req.body);
      if (patch.capabilities) checkCapabilities(patch.capabilities);
      Object.assign(channel, patch);
      res.json(publicChannel(channel));
    });
    router.delete(`${prefix}/:channelId`, function archiveChannel(req, res) {
      requireDeveloperKey(state, req);
      liveChannel(state, pathParams(req).channelId).archived = true;
      res.status(204).end();
    });
  }
  return router;
}
