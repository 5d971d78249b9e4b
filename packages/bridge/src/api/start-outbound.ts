import type { Client } from '@temporalio/client';
import { conversationKey, outboundWorkflowId, type AccountId } from '../domain/ids.js';
import type { OutboundRequest } from '../domain/outbound.js';
import { outboundChatId, replyLineKey } from '../domain/outbound-chat.js';
import { AccountIdKey, DirectionKey, HubSpotMessageIdKey, StatusKey } from '../domain/search-attributes.js';
import { MessageStatus } from '../domain/signals.js';
import type { Store } from '../store/types.js';
import { HttpError } from './http-error.js';
import { startOnce, type PendingStart } from './pending-start.js';
import type { StartResult } from './start-inbound.js';
import { startInLine } from './start-in-line.js';
import type { LineTurn } from '../store/sequencer-types.js';
import { OUTBOUND_WORKFLOW_TYPE } from '../domain/workflow-types.js';

/**
 * Starts `outbound:{hubspotMessageId}` and resolves once Temporal has it durably. A redelivered
 * webhook hits `REJECT_DUPLICATE` and is reported as a duplicate, not an error; an unreachable
 * Temporal is a 503, so HubSpot retries and nothing is lost. With a store, the reply also takes its
 * place in its chat's delivery order before the answer (see registerTurn).
 */
export async function startOutboundWorkflow(
  client: Client,
  taskQueue: string,
  request: OutboundRequest,
  store?: Pick<Store, 'getAccount' | 'registerOutbound' | 'queueTurn' | 'finishTurn'>,
  workflowType: string = OUTBOUND_WORKFLOW_TYPE,
): Promise<StartResult> {
  const workflowId = outboundWorkflowId(request.hubspotMessageId);
  const kept: PendingStart = {
    workflowType,
    taskQueue,
    args: [request],
    searchAttributes: {
      [AccountIdKey.name]: request.channelAccountId,
      [HubSpotMessageIdKey.name]: request.hubspotMessageId,
      [DirectionKey.name]: 'outbound',
      [StatusKey.name]: MessageStatus.Accepted,
    },
  };
  const start = async (): Promise<StartResult> => ({ workflowId, started: await startOnce(client, workflowId, kept) });
  const result = await startInLine(store, lineTurnOf(request, workflowId), start, { kept: JSON.stringify(kept) });
  if (store) await registerTurn(store, request, workflowId);
  return result;
}

/**
 * The reply's place in its chat's reply line (docs/ORDERING.md), taken as the webhook is accepted, in the order HubSpot
 * sent them, whatever the account's state: a reply held while its account is off keeps its place, so replies released
 * together go in the order they were written. Every way out of the workflow leaves the line. None for a reply that
 * names no chat (it fails before it would take a turn).
 */
function lineTurnOf(request: OutboundRequest, workflowId: string): LineTurn | undefined {
  const lineKey = replyLineKey(request);
  return lineKey
    ? { lineKey, messageKey: workflowId, orderAt: request.createdAt, accountId: request.channelAccountId }
    : undefined;
}

/**
 * Registers the reply in the registry replies started before the sequencer wait in (outbound_deliveries): they look
 * there for earlier replies, and a reply of the sequencer lets any of them that is earlier go first (claimTurn). The
 * same conditions as the resolve activity, which registers again (idempotent).
 */
async function registerTurn(
  store: Pick<Store, 'getAccount' | 'registerOutbound'>,
  request: OutboundRequest,
  workflowId: string,
): Promise<void> {
  try {
    const account = await store.getAccount(request.channelAccountId);
    const chatId = outboundChatId(request);
    if (!account?.authorized || !chatId) return;
    const key = conversationKey(account.accountId as AccountId, chatId);
    await store.registerOutbound({
      hubspotMessageId: request.hubspotMessageId,
      workflowId,
      accountId: account.accountId,
      conversationKey: key,
      createdAt: request.createdAt,
    });
  } catch (error) {
    throw new HttpError(503, 'the store is unavailable; retry later', { cause: error });
  }
}
