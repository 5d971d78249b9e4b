import { z } from 'zod';
import { notFound } from '../errors.js';
import type { HubSpotSandboxState, SandboxChannel, SandboxChannelAccount, SandboxPortal } from '../state.js';

/**
 * The v3 family and the date-versioned family serve the same operations
 * (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/guide,
 * https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide).
 */
export const CHANNEL_PREFIXES = [
  '/conversations/v3/custom-channels',
  '/conversations/custom-channels/2026-03',
] as const;

/** The spec's list/create path quirk (`customChannels.v3.json`); accepted for those two operations only. */
export const QUIRK_LIST_CREATE_PATH = '/conversations/custom-channels/v3';

export const DELIVERY_IDENTIFIER_TYPES = [
  'HS_EMAIL_ADDRESS',
  'HS_PHONE_NUMBER',
  'HS_SHORT_CODE',
  'CHANNEL_SPECIFIC_OPAQUE_ID',
] as const;

export const deliveryIdentifierSchema = z.object({
  type: z.enum(DELIVERY_IDENTIFIER_TYPES),
  value: z.string().min(1),
});

export const participantSchema = z.object({
  deliveryIdentifier: deliveryIdentifierSchema,
  name: z.string().optional(),
  senderActorId: z.string().optional(),
});

/** The live channel, or 404 as HubSpot answers for an unknown or archived one. */
export function liveChannel(state: HubSpotSandboxState, channelId: string): SandboxChannel {
  const channel = state.channels.get(channelId);
  if (!channel || channel.archived) throw notFound(`Channel ${channelId}`);
  return channel;
}

/**
 * The portal's account on this channel: a live one by default, only an archived one when `archived` (HubSpot's
 * `archived` query parameter: "return only results that have been archived", default false).
 */
export function portalAccount(
  state: HubSpotSandboxState,
  portal: SandboxPortal,
  channelId: string,
  accountId: string,
  archived = false,
): SandboxChannelAccount {
  const account = state.channelAccounts.get(accountId);
  if (
    !account ||
    account.portalId !== portal.portalId ||
    account.channelId !== channelId ||
    account.archived !== archived
  ) {
    throw notFound(`Channel account ${accountId}`);
  }
  return account;
}

/** Path parameters of the routes built from a prefix variable (Express cannot infer them from a template string). */
export interface PathParams {
  readonly channelId: string;
  readonly channelAccountId: string;
  readonly messageId: string;
  readonly accountToken: string;
}

export const pathParams = (req: { params: unknown }) => req.params as PathParams;
