import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { outboundWorkflowId } from '../domain/ids.js';
import type { OutboundRequest } from '../domain/outbound.js';
import { AccountIdKey, DirectionKey, HubSpotMessageIdKey, StatusKey } from '../domain/search-attributes.js';
import { MessageStatus } from '../domain/signals.js';
import type { outboundMessageWorkflow } from '../workflows/outbound-message.js';
import { HttpError } from './http-error.js';
import type { StartResult } from './start-inbound.js';

/**
 * Starts `outbound:{hubspotMessageId}` and resolves once Temporal has it durably. A redelivered
 * webhook hits `REJECT_DUPLICATE` and is reported as a duplicate, not an error; an unreachable
 * Temporal is a 503, so HubSpot retries and nothing is lost.
 */
export async function startOutboundWorkflow(client: Client, taskQueue: string, request: OutboundRequest): Promise<StartResult> {
  const workflowId = outboundWorkflowId(request.hubspotMessageId);
  try {
    await client.workflow.start<typeof outboundMessageWorkflow>('outboundMessageWorkflow', {
      workflowId,
      taskQueue,
      args: [request],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: AccountIdKey, value: request.channelAccountId },
        { key: HubSpotMessageIdKey, value: request.hubspotMessageId },
        { key: DirectionKey, value: 'outbound' },
        { key: StatusKey, value: MessageStatus.Accepted },
      ],
    });
    return { workflowId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw new HttpError(503, 'the workflow engine is unavailable; retry later', { cause: error });
  }
}
