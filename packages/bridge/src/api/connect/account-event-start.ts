import type { Client } from '@temporalio/client';
import { AccountIdKey } from '../../domain/search-attributes.js';
import type { accountLifecycleWorkflow } from '../../workflows/account-lifecycle.js';
import { accountEventSignal, accountWorkflowId, type AccountEvent } from '../../workflows/account-signals.js';
import { HttpError } from '../http-error.js';

/**
 * Hands a `CHANNEL_ACCOUNT_*` event, already reduced to checked ids (src/api/routes/hubspot-event-fields.ts), to the
 * account's workflow (`account:{id}`) with signal-with-start, so events of one account are handled one at a time and
 * in order. Only the ids go in: the workflow re-reads the account from HubSpot. A redelivered event signals again,
 * which only causes one more re-read.
 */
export async function startAccountEvent(temporal: Client, taskQueue: string, event: AccountEvent): Promise<void> {
  try {
    await temporal.workflow.signalWithStart<typeof accountLifecycleWorkflow, [AccountEvent]>(
      'accountLifecycleWorkflow',
      {
        workflowId: accountWorkflowId(event.accountId),
        taskQueue,
        args: [],
        signal: accountEventSignal,
        signalArgs: [{ type: event.type, portalId: event.portalId, accountId: event.accountId }],
        typedSearchAttributes: [{ key: AccountIdKey, value: event.accountId }],
      },
    );
  } catch (error) {
    // HubSpot retries a 5xx, so the event is not lost while Temporal is down.
    throw new HttpError(503, 'the account event could not be recorded; retry', { cause: error });
  }
}
