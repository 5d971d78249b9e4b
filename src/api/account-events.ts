import type { Client } from '@temporalio/client';
import type { Logger } from '../logger.js';
import type { Store } from '../store/types.js';

/** `CHANNEL_ACCOUNT_CREATED / UPDATED / PURGED` as HubSpot sends it to the channel's webhookUrl (reference/hubspot.md §6.4). */
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
 * Called by POST /webhooks/hubspot for each verified account event, before the 2xx. Throwing an
 * HttpError(503) makes HubSpot retry. Owned by the connecting-channels work (issue 7); this default
 * only logs and acknowledges.
 */
export async function handleAccountEvent(event: HubSpotAccountEvent, deps: AccountEventDeps): Promise<void> {
  deps.logger.info({ type: event.type, eventId: event.eventId, channelAccountId: event.channelAccountId }, 'account event acknowledged; not handled yet');
}
