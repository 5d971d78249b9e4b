import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { outboundReceipt, type OutboundReceipt } from '../domain/outbound.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/types.js';
import { HttpError } from './http-error.js';
import { withinDeadline } from './temporal-deadline.js';

export interface RouteReceiptDeps {
  readonly store: Store;
  readonly temporal: Client;
  readonly logger: Logger;
}

/**
 * Hands a provider's receipt (a delivery status webhook, normalised) to the outbound workflow that
 * sent the message, found through the store's provider message id mapping. A receipt for a message
 * the bridge did not send, or whose workflow already completed, is logged and acknowledged; an
 * unreachable Temporal is a 503 so the provider retries.
 */
export async function routeReceipt(deps: RouteReceiptDeps, accountId: string, receipt: OutboundReceipt): Promise<void> {
  const context = {
    accountId,
    providerMessageId: receipt.providerMessageId,
    status: receipt.status,
    ...(receipt.code !== undefined ? { code: receipt.code } : {}),
  };
  const workflowId = await deps.store.findOutboundWorkflow(accountId, receipt.providerMessageId);
  if (!workflowId) {
    deps.logger.info(context, 'receipt for a message the bridge has no outbound record of; acknowledged');
    return;
  }
  try {
    await withinDeadline(deps.temporal, () =>
      deps.temporal.workflow.getHandle(workflowId).signal(outboundReceipt, receipt),
    );
    deps.logger.info({ ...context, workflowId }, 'receipt routed');
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      deps.logger.info({ ...context, workflowId }, 'receipt arrived after its workflow completed; acknowledged');
      return;
    }
    throw new HttpError(503, 'the workflow engine is unavailable; retry later', { cause: error });
  }
}
