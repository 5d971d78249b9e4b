import type { Client } from '@temporalio/client';
import { AccountIdKey } from '../../domain/search-attributes.js';
import type { accountLifecycleWorkflow } from '../../workflows/account-lifecycle.js';
import { accountEventSignal, accountWorkflowId, type AccountEvent } from '../../workflows/account-signals.js';
import { HttpError } from '../http-error.js';

/** HubSpot ids are 64-bit numbers: at most 20 digits (a longer one would make a workflow id Temporal refuses). */
const ID = /^\d{1,20}$/;
/** Only a string or a number can be an id: String() of an object may throw ({"toString": 1}) or recurse (deep arrays). */
const idOf = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/**
 * Hands a `CHANNEL_ACCOUNT_*` event to the account's workflow (`account:{id}`) with signal-with-start, so events of one
 * account are handled one at a time and in order. Only the ids go in: the workflow re-reads the account from HubSpot.
 * Returns false for an event without usable ids (acknowledged and ignored: a retry would not fix it).
 */
export async function startAccountEvent(
  temporal: Client,
  taskQueue: string,
  event: { readonly type: AccountEvent['type']; readonly portalId?: unknown; readonly channelAccountId?: unknown },
): Promise<boolean> {
  const portalId = idOf(event.portalId);
  const accountId = idOf(event.channelAccountId);
  if (!ID.test(portalId) || !ID.test(accountId)) return false;
  try {
    await temporal.workflow.signalWithStart<typeof accountLifecycleWorkflow, [AccountEvent]>('accountLifecycleWorkflow', {
      workflowId: accountWorkflowId(accountId),
      taskQueue,
      args: [],
      signal: accountEventSignal,
      signalArgs: [{ type: event.type, portalId, accountId }],
      typedSearchAttributes: [{ key: AccountIdKey, value: accountId }],
    });
    return true;
  } catch (error) {
    // HubSpot retries a 5xx, so the event is not lost while Temporal is down.
    throw new HttpError(503, 'the account event could not be recorded; retry', { cause: error });
  }
}
