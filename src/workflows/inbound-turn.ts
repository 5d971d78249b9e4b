import { CancellationScope, condition, getExternalWorkflowHandle, log, setHandler } from '@temporalio/workflow';
import { conversationWorkflowId, enqueueMessage, turnDone, turnGranted } from './conversation-signals.js';

/**
 * The message's side of the conversation's turns. The api queued the message when it accepted it;
 * if no turn came for a while (an api crash between the start and the enqueue), the message asks
 * again, and when no conversation workflow runs at all, nothing is ahead of it and it goes.
 */
export function conversationTurn(conversationKey: string, workflowId: string, sentAt: string, recheckMs: number) {
  let granted = false;
  setHandler(turnGranted, () => void (granted = true));
  const conversation = () => getExternalWorkflowHandle(conversationWorkflowId(conversationKey));

  return {
    async wait(): Promise<void> {
      while (!(await condition(() => granted, recheckMs))) {
        try {
          await conversation().signal(enqueueMessage, { workflowId, sentAt });
        } catch (error) {
          log.warn('no conversation workflow runs; publishing without a turn', { conversationKey, reason: (error as Error).message });
          return;
        }
      }
    },
    /** Always called, also on failure, so the conversation never waits on a finished message. */
    async release(): Promise<void> {
      await CancellationScope.nonCancellable(async () => {
        try {
          await conversation().signal(turnDone, workflowId);
        } catch (error) {
          log.warn('could not hand the turn back', { conversationKey, reason: (error as Error).message });
        }
      });
    },
  };
}
