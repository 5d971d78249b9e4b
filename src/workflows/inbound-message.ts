import { proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { BridgeActivities } from '../activities/index.js';
import { ErrorType } from '../domain/errors.js';
import type { InboundMessage } from '../domain/messages.js';
import { HubSpotMessageIdKey, StatusKey } from '../domain/search-attributes.js';
import { MessageStatus } from '../domain/signals.js';

const { publishInboundMessage } = proxyActivities<BridgeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [ErrorType.HubSpotRejected, ErrorType.AccountNotFound],
  },
});

const { recordInboundMapping } = proxyActivities<BridgeActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '30 seconds' },
});

export interface InboundMessageResult {
  readonly hubspotMessageId: string;
  readonly hubspotThreadId: string;
}

/**
 * One customer message into the HubSpot inbox. The workflow id is the message key, and it is also
 * HubSpot's `integrationIdempotencyId`, so neither a redelivered webhook nor a retried publish duplicates it.
 */
export async function inboundMessageWorkflow(message: InboundMessage): Promise<InboundMessageResult> {
  const messageKey = workflowInfo().workflowId;
  const published = await publishInboundMessage(messageKey, message);
  await recordInboundMapping(messageKey, message, published);
  upsertSearchAttributes([
    { key: HubSpotMessageIdKey, value: published.hubspotMessageId },
    { key: StatusKey, value: MessageStatus.Published },
  ]);
  return published;
}
