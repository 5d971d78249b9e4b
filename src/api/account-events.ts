import type { Client } from '@temporalio/client';
import type { Logger } from '../logger.js';
import type { Store } from '../store/types.js';
import { startAccountEvent } from './connect/account-event-start.js';

/** `CHANNEL_ACCOUNT_CREATED / UPDATED / PURGED` as HubSpot sends it to the channel's webhookUrl (https://developers.hubspot.com/changelog/custom-channels-api-is-now-live; fields beyond the ids are [INFERRED]). */
export interface HubSpotAccountEvent {
  readonly type: 'CHANNEL_ACCOUNT_CREATED' | 'CHANNEL_ACCOUNT_UPDATED' | 'CHANNEL_ACCOUNT_PURGED';
  readonly eventId?: string;
  readonly portalId?: string | number;
  readonly channelId?: string | number;
  readonly channelAccountId?: string | number;
  readonly [field: string]: unknown;
}

export interface AccountEventDeps {
  readonly store: Store;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly logger: Logger;
}

export const ACCOUNT_EVENT_TYPES: ReadonlySet<string> = new Set(['CHANNEL_ACCOUNT_CREATED', 'CHANNEL_ACCOUNT_UPDATED', 'CHANNEL_ACCOUNT_PURGED']);

/**
 * Called by POST /webhooks/hubspot for each verified account event, before the 2xx. Hands the ids to the account's
 * lifecycle workflow (`account:{id}`, signal-with-start), which re-reads the account from HubSpot and connects,
 * pauses, resumes, moves or purges it (docs/CONNECTING.md). Throws HttpError(503) when Temporal cannot take it, so
 * HubSpot retries. No HubSpot or provider call happens here.
 */
export async function handleAccountEvent(event: HubSpotAccountEvent, deps: AccountEventDeps): Promise<void> {
  const line = { type: event.type, eventId: event.eventId, portalId: event.portalId, channelAccountId: event.channelAccountId };
  if (!(await startAccountEvent(deps.temporal, deps.taskQueue, event))) {
    deps.logger.warn(line, 'account event without a numeric portalId and channelAccountId; ignored');
    return;
  }
  deps.logger.info(line, 'account event handed to its lifecycle workflow');
}
