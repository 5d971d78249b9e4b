import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { inboundWorkflowId } from '../domain/ids.js';
import type { InboundMessage } from '../domain/messages.js';
import {
  AccountIdKey,
  ConversationKeyKey,
  DirectionKey,
  ProviderKey,
  ProviderMessageIdKey,
  StatusKey,
} from '../domain/search-attributes.js';
import { MessageStatus } from '../domain/signals.js';
import type { inboundMessageWorkflow } from '../workflows/inbound-message.js';
import { HttpError } from './http-error.js';

export interface StartResult {
  readonly workflowId: string;
  /** False when the message was already accepted earlier (a redelivery). */
  readonly started: boolean;
}

/**
 * Starts the message's workflow and resolves once Temporal has it durably. A second start with the same
 * id is refused by Temporal (`REJECT_DUPLICATE`) and reported as a duplicate, not an error.
 */
export async function startInboundWorkflow(client: Client, taskQueue: string, message: InboundMessage): Promise<StartResult> {
  const workflowId = inboundWorkflowId(message.accountId, message.providerMessageId);
  try {
    await client.workflow.start<typeof inboundMessageWorkflow>('inboundMessageWorkflow', {
      workflowId,
      taskQueue,
      args: [message],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: AccountIdKey, value: message.accountId },
        { key: ConversationKeyKey, value: message.conversationKey },
        { key: ProviderMessageIdKey, value: message.providerMessageId },
        { key: ProviderKey, value: message.provider },
        { key: DirectionKey, value: 'inbound' },
        { key: StatusKey, value: MessageStatus.Accepted },
      ],
    });
    return { workflowId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    // Not durable: a 5xx makes the sender retry, so nothing is lost.
    throw new HttpError(503, 'the workflow engine is unavailable; retry later', { cause: error });
  }
}
