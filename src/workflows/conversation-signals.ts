import { defineSignal } from '@temporalio/workflow';

/**
 * The turn-taking contract between a conversation's entity workflow (`conversation:{conversationKey}`)
 * and the inbound message workflows of that conversation. Imported by the api (signal-with-start) too.
 */
export interface QueuedMessage {
  /** The message workflow's id, `inbound:{accountId}:{providerMessageId}`. */
  readonly workflowId: string;
  /** ISO-8601 time the customer sent it; the queue keeps this order among messages not yet granted. */
  readonly sentAt: string;
}

/** api → conversation: a message was accepted; redeliveries are absorbed by the queue. */
export const enqueueMessage = defineSignal<[QueuedMessage]>('enqueueMessage');
/** conversation → message: it is your turn to publish. */
export const turnGranted = defineSignal<[]>('turnGranted');
/** message → conversation: published (or failed for good); the next one may go. */
export const turnDone = defineSignal<[string]>('turnDone');

export function conversationWorkflowId(conversationKey: string): string {
  return `conversation:${conversationKey}`;
}
