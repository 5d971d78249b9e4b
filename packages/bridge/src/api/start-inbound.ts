import type { Client } from '@temporalio/client';
import { conversationKey, inboundWorkflowId } from '../domain/ids.js';
import type { InboundMessage } from '../domain/messages.js';
import { AccountIdKey, ConversationKeyKey, ProviderMessageIdKey, StatusKey } from '../domain/search-attributes.js';
import { MessageStatus } from '../domain/signals.js';
import type { RawWebhook } from '../providers/types.js';
import type { ChatAliasStore } from '../store/chat-aliases.js';
import type { StagedMediaStore } from '../store/inbound-types.js';
import type { SequencerStore, StartOutbox } from '../store/sequencer-types.js';
import type { InboundWorkflowOptions } from '../workflows/inbound-message.js';
import { INBOUND_WORKFLOW_TYPE } from '../domain/workflow-types.js';
import { HttpError } from './http-error.js';
import { startOnce, type PendingStart } from './pending-start.js';
import { startInLine, type StartsBehindAnswers } from './start-in-line.js';
import { stageInlineMedia } from './inline-media.js';

export interface StartResult {
  readonly workflowId: string;
  /** False when the message was already accepted earlier (a redelivery). */
  readonly started: boolean;
  /**
   * Set when the answer did not wait for Temporal (StartInboundExtras.answerWithinMs): the message is durable in the
   * store, and this settles once the start is done or left to the sweeper.
   */
  readonly startSettled?: Promise<void>;
}

/**
 * Where inline media is staged, the customer's conversation found among their ids, and the message queued for its
 * turn; without it, inline refs stay as they are (and become notes) and each chat id is a conversation of its own.
 */
export interface StartInboundExtras {
  readonly store?: StagedMediaStore & SequencerStore & StartOutbox & ChatAliasStore;
  readonly webhook?: RawWebhook;
  /** Durations for the message's workflow (hold limit); its defaults otherwise. */
  readonly options?: InboundWorkflowOptions;
  /** @default INBOUND_WORKFLOW_TYPE */
  readonly workflowType?: string;
  /**
   * With a store: how long the answer waits for Temporal's start (BRIDGE_WEBHOOK_START_WAIT_MS); past it, the start
   * goes on behind the answer, kept with the message's place in line (src/api/start-in-line.ts). Unset: it waits.
   */
  readonly answerWithinMs?: number;
  /** The api's starts running behind answers (required with answerWithinMs). */
  readonly behindAnswers?: StartsBehindAnswers;
  /** Told of a start that failed after the answer; the sweeper makes it later. */
  readonly onLateStartFailure?: (workflowId: string, error: unknown) => void;
}

/**
 * The message in the conversation its customer already has under another of their ids, when the provider reported
 * some (`alternateChatIds`): the store records the ids together and names the one the conversation began with. Done
 * before the start, because the conversation key orders the message's turn and labels its workflow; a redelivery
 * resolves to the same key, since recorded ids never change.
 */
async function inCustomerConversation(store: ChatAliasStore, message: InboundMessage): Promise<InboundMessage> {
  if (message.alternateChatIds === undefined) return message;
  const ids = [message.providerChatId, ...message.alternateChatIds];
  let chatId: string;
  try {
    chatId = await store.resolveChatId(message.accountId, ids, Date.now());
  } catch (error) {
    throw new HttpError(503, 'the store is unavailable; retry later', { cause: error });
  }
  if (chatId === message.providerChatId) return message;
  return {
    ...message,
    providerChatId: chatId,
    conversationKey: conversationKey(message.accountId, chatId),
    alternateChatIds: [...new Set(ids)].filter((id) => id !== chatId),
  };
}

/**
 * Makes the message durable, then answers: the customer's conversation found among their ids, inline bytes
 * staged, its place taken in its conversation's line and its workflow started (a second start with the same id is
 * refused by Temporal, `REJECT_DUPLICATE`, and reported as a duplicate), so a message accepted earlier goes earlier
 * even if its workflow runs later (src/api/start-in-line.ts).
 */
export async function startInboundWorkflow(
  client: Client,
  taskQueue: string,
  received: InboundMessage,
  extras: StartInboundExtras = {},
): Promise<StartResult> {
  const message = extras.store ? await inCustomerConversation(extras.store, received) : received;
  const workflowId = inboundWorkflowId(message.accountId, message.providerMessageId);
  const input =
    extras.store && extras.webhook
      ? await stageInlineMedia(extras.store, workflowId, message, extras.webhook)
      : message;
  const turn = {
    lineKey: message.conversationKey,
    messageKey: workflowId,
    orderAt: message.sentAt,
    accountId: message.accountId,
  };
  // Only what finding the message needs: each attribute is visibility work for the server, per message. The
  // workflow type says the direction and the account the provider (src/domain/message-visibility.ts).
  const kept: PendingStart = {
    workflowType: extras.workflowType ?? INBOUND_WORKFLOW_TYPE,
    taskQueue,
    args: extras.options ? [input, extras.options] : [input],
    searchAttributes: {
      [AccountIdKey.name]: message.accountId,
      [ConversationKeyKey.name]: message.conversationKey,
      [ProviderMessageIdKey.name]: message.providerMessageId,
      [StatusKey.name]: MessageStatus.Accepted,
    },
  };
  const start = async (): Promise<StartResult> => ({ workflowId, started: await startOnce(client, workflowId, kept) });
  const { answerWithinMs, onLateStartFailure } = extras;
  return startInLine(extras.store, turn, start, {
    kept: JSON.stringify(kept),
    ...(answerWithinMs === undefined || !extras.store || !extras.behindAnswers
      ? {}
      : {
          early: {
            outbox: extras.store,
            behind: extras.behindAnswers,
            waitMs: answerWithinMs,
            late: (startSettled) => ({ workflowId, started: true, startSettled }),
            onLateFailure: (error) => onLateStartFailure?.(workflowId, error),
          },
        }),
  });
}
