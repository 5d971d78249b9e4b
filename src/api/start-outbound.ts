import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { conversationKey, outboundWorkflowId, type AccountId } from '../domain/ids.js';
import type { OutboundRequest } from '../domain/outbound.js';
import { outboundChatId } from '../domain/outbound-chat.js';
import { AccountIdKey, DirectionKey, HubSpotMessageIdKey, StatusKey } from '../domain/search-attributes.js';
import { MessageStatus } from '../domain/signals.js';
import type { Store } from '../store/types.js';
import type { outboundMessageWorkflow } from '../workflows/outbound-message.js';
import { HttpError } from './http-error.js';
import type { StartResult } from './start-inbound.js';
import { withinDeadline } from './temporal-deadline.js';
import { startRefusal } from './temporal-refusal.js';

/**
 * Starts `outbound:{hubspotMessageId}` and resolves once Temporal has it durably. A redelivered
 * webhook hits `REJECT_DUPLICATE` and is reported as a duplicate, not an error; an unreachable
 * Temporal is a 503, so HubSpot retries and nothing is lost. With a store, the reply also takes its
 * place in its chat's delivery order before the answer (see registerTurn).
 */
export async function startOutboundWorkflow(client: Client, taskQueue: string, request: OutboundRequest, store?: Pick<Store, 'getAccount' | 'registerOutbound'>): Promise<StartResult> {
  const workflowId = outboundWorkflowId(request.hubspotMessageId);
  let started = true;
  try {
    await withinDeadline(client, () => client.workflow.start<typeof outboundMessageWorkflow>('outboundMessageWorkflow', {
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
    }));
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw startRefusal(error);
    started = false;
  }
  if (store) await registerTurn(store, request, workflowId);
  return { workflowId, started };
}

/**
 * Registers the reply in its chat's delivery order as the webhook is accepted, in the order HubSpot sent them.
 * Registering only when the workflow's first activity runs let a backlog reorder replies: under load (or after a
 * worker restart) Temporal hands out workflow tasks in no particular order, and an older reply registered minutes
 * after a newer one had gone (found by `npm run chaos`, docs/RELIABILITY.md). The same conditions as the resolve
 * activity, which registers again (idempotent): a reply that will not be delivered never blocks its chat.
 * After the start, so a reply whose start failed (503, HubSpot retries) never holds a place it may never take.
 */
async function registerTurn(store: Pick<Store, 'getAccount' | 'registerOutbound'>, request: OutboundRequest, workflowId: string): Promise<void> {
  try {
    const account = await store.getAccount(request.channelAccountId);
    const chatId = outboundChatId(request);
    if (!account?.authorized || !chatId) return;
    const key = conversationKey(account.accountId as AccountId, chatId);
    await store.registerOutbound({ hubspotMessageId: request.hubspotMessageId, workflowId, accountId: account.accountId, conversationKey: key, createdAt: request.createdAt });
  } catch (error) {
    throw new HttpError(503, 'the store is unavailable; retry later', { cause: error });
  }
}
