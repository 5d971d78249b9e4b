import { allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, log, setHandler, workflowInfo } from '@temporalio/workflow';
import { TurnQueue, type TurnQueueState } from './conversation-queue.js';
import { enqueueMessage, turnDone, turnGranted } from './conversation-signals.js';

export interface ConversationInput {
  readonly conversationKey: string;
  readonly queue?: TurnQueueState;
  /** With nothing queued for this long the workflow ends; the next message starts it again. @default 10 minutes */
  readonly idleTimeoutMs?: number;
  /** Continue-as-new after this many turns (a test hook; Temporal's suggestion also triggers it). @default 1000 */
  readonly maxTurnsPerRun?: number;
}

/**
 * One per conversation (`conversation:{conversationKey}`): hands the publish turn to one message
 * workflow at a time, in the order the customer sent them. Messages upload their media before their
 * turn, so a slow upload holds back only the messages after it in the same conversation.
 */
export async function conversationWorkflow(input: ConversationInput): Promise<void> {
  const queue = new TurnQueue(input.queue);
  setHandler(enqueueMessage, (message) => void queue.add(message));
  setHandler(turnDone, (workflowId) => queue.done(workflowId));

  let turns = 0;
  while (turns < (input.maxTurnsPerRun ?? 1000) && !workflowInfo().continueAsNewSuggested) {
    if (!queue.current) {
      const woke = await condition(() => queue.hasPending() || queue.current !== undefined, input.idleTimeoutMs ?? 10 * 60_000);
      if (!woke && queue.isIdle()) return;
      const next = queue.grantNext();
      if (!next) continue;
      try {
        await getExternalWorkflowHandle(next.workflowId).signal(turnGranted);
        turns += 1;
      } catch (error) {
        // The message workflow already finished (a late redelivery) or never started: skip it.
        log.info('turn skipped', { workflowId: next.workflowId, reason: (error as Error).message });
        queue.done(next.workflowId);
        continue;
      }
    }
    await condition(() => queue.current === undefined);
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof conversationWorkflow>({ ...input, queue: queue.snapshot() });
}
