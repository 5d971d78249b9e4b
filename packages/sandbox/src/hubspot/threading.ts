import { validationError } from './errors.js';
import {
  SandboxEvent,
  type HubSpotSandboxState,
  type SandboxChannel,
  type SandboxChannelAccount,
  type SandboxDeliveryIdentifier,
  type SandboxThread,
} from './state.js';

export type ThreadingModel = 'INTEGRATION_THREAD_ID' | 'DELIVERY_IDENTIFIER';

/** A channel without `threadingModel` gets HubSpot-managed threading (inferred). */
export function threadingModelOf(channel: SandboxChannel): ThreadingModel {
  return channel.capabilities.threadingModel === 'INTEGRATION_THREAD_ID'
    ? 'INTEGRATION_THREAD_ID'
    : 'DELIVERY_IDENTIFIER';
}

export interface ThreadQuery {
  readonly channel: SandboxChannel;
  readonly account: SandboxChannelAccount;
  readonly integrationThreadId?: string;
  /** The customer's side: senders of an INCOMING message, recipients of an OUTGOING one. */
  readonly customer: readonly { deliveryIdentifier: SandboxDeliveryIdentifier }[];
}

const identifierKey = (ids: ThreadQuery['customer']) =>
  ids
    .map((p) => `${p.deliveryIdentifier.type}:${p.deliveryIdentifier.value}`)
    .sort()
    .join('|');

/**
 * Where a published message lands (`threadingModel`,
 * https://developers.hubspot.com/changelog/custom-channels-api-is-now-live):
 * - INTEGRATION_THREAD_ID: the account's thread with the same `integrationThreadId`; the id is required.
 * - DELIVERY_IDENTIFIER: the account's thread with the same customer identifiers; `integrationThreadId` is ignored.
 * The latest matching thread wins. If it is CLOSED, `options.closedThreadPolicy` decides: a new thread (default) or
 * reopening it. No match: a new OPEN thread in the account's inbox.
 */
export function resolveThread(state: HubSpotSandboxState, query: ThreadQuery): SandboxThread {
  const model = threadingModelOf(query.channel);
  if (model === 'INTEGRATION_THREAD_ID' && !query.integrationThreadId) {
    throw validationError('integrationThreadId is required for channels with threadingModel INTEGRATION_THREAD_ID', [
      { message: 'integrationThreadId is required', in: 'integrationThreadId', code: 'REQUIRED' },
    ]);
  }
  const key = model === 'DELIVERY_IDENTIFIER' ? identifierKey(query.customer) : undefined;
  const latest = [...state.threads.values()]
    .filter((t) => t.channelAccountId === query.account.id)
    .filter((t) =>
      model === 'INTEGRATION_THREAD_ID'
        ? t.integrationThreadId === query.integrationThreadId
        : t.deliveryIdentifierKey === key,
    )
    .at(-1);
  if (latest?.status === 'OPEN') return latest;
  if (latest && state.options.closedThreadPolicy === 'reopen') {
    latest.status = 'OPEN';
    delete latest.closedAt;
    state.events.emit(SandboxEvent.threadUpdated, { id: latest.id });
    return latest;
  }
  const thread: SandboxThread = {
    id: state.nextId(),
    portalId: query.account.portalId,
    channelAccountId: query.account.id,
    inboxId: query.account.inboxId,
    status: 'OPEN',
    createdAt: new Date().toISOString(),
    ...(model === 'INTEGRATION_THREAD_ID'
      ? { integrationThreadId: query.integrationThreadId }
      : { deliveryIdentifierKey: key }),
  };
  const contact = query.customer[0];
  if (contact) thread.associatedContactId = contactIdFor(state, query.account.portalId, contact.deliveryIdentifier);
  state.threads.set(thread.id, thread);
  state.events.emit(SandboxEvent.threadUpdated, { id: thread.id });
  return thread;
}

/** One contact per customer identifier per portal, so the same customer is the same `V-{contactId}` actor. */
export function contactIdFor(state: HubSpotSandboxState, portalId: string, id: SandboxDeliveryIdentifier): string {
  const key = `${portalId}:${id.type}:${id.value}`;
  let contactId = state.contacts.get(key);
  if (!contactId) {
    contactId = state.nextId();
    state.contacts.set(key, contactId);
  }
  return contactId;
}
