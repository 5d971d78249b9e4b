import type { Client } from '@temporalio/client';
import type { Logger } from '../logger.js';
import type { Store } from '../store/types.js';
import type { AccountEvent } from '../workflows/account-signals.js';
import { startAccountEvent } from './connect/account-event-start.js';

/**
 * `CHANNEL_ACCOUNT_CREATED / UPDATED / PURGED` as HubSpot sends it to the channel's webhookUrl
 * (https://developers.hubspot.com/changelog/custom-channels-api-is-now-live), reduced to the ids the bridge trusts.
 * The forms the ids arrive in are read by src/api/routes/hubspot-event-fields.ts.
 */
export interface HubSpotAccountEvent extends AccountEvent {
  readonly eventId?: string;
}

export interface AccountEventDeps {
  readonly store: Store;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly logger: Logger;
}

export const ACCOUNT_EVENT_TYPES: ReadonlySet<string> = new Set([
  'CHANNEL_ACCOUNT_CREATED',
  'CHANNEL_ACCOUNT_UPDATED',
  'CHANNEL_ACCOUNT_PURGED',
]);

export const isAccountEventType = (type: string | undefined): type is AccountEvent['type'] =>
  type !== undefined && ACCOUNT_EVENT_TYPES.has(type);

/**
 * Called by POST /webhooks/hubspot for each verified account event with usable ids, before the 2xx. Hands the ids to
 * the account's lifecycle workflow (`account:{id}`, signal-with-start), which re-reads the account from HubSpot and
 * connects, pauses, resumes, moves or purges it (docs/CONNECTING.md). Throws HttpError(503) when Temporal cannot take
 * it, so HubSpot retries. No HubSpot or provider call happens here.
 */
export async function handleAccountEvent(event: HubSpotAccountEvent, deps: AccountEventDeps): Promise<void> {
  await startAccountEvent(deps.temporal, deps.taskQueue, {
    type: event.type,
    portalId: event.portalId,
    accountId: event.accountId,
  });
  deps.logger.info(
    { type: event.type, eventId: event.eventId, portalId: event.portalId, channelAccountId: event.accountId },
    'account event handed to its lifecycle workflow',
  );
}
