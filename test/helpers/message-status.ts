import type { Client } from '@temporalio/client';
import { messageStatusOf } from '../../packages/bridge/src/domain/message-visibility.js';
import { StatusKey } from '../../packages/bridge/src/domain/search-attributes.js';

/** A message's status as the console and CLI read it: BridgeStatus, or PUBLISHED for a completed V3/V4 inbound run. */
export async function messageStatus(client: Client, workflowId: string): Promise<string | undefined> {
  const described = await client.workflow.getHandle(workflowId).describe();
  return messageStatusOf({
    workflowType: described.type,
    executionStatus: described.status.name,
    status: described.typedSearchAttributes.get(StatusKey),
  });
}
