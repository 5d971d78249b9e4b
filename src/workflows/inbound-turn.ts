import { CancellationScope, condition, defineSignal, getExternalWorkflowHandle, log, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { BridgeActivities } from '../activities/index.js';

/** message → next message of the conversation: the turn may be free; claim it. */
export const inboundTurnFreed = defineSignal<[]>('inboundTurnFreed');

// Store-only steps: local, so an uncontended message takes and hands back its turn without extra workflow tasks.
const { claimInboundTurn, finishInboundTurn } = proxyLocalActivities<BridgeActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});

/** A line of dead messages (terminated while queued) is stepped over, a bounded number at a time. */
const MAX_SKIPPED = 20;

/**
 * The message's place in its conversation's publish turns, kept in the store: the api queued the message when it
 * accepted it (or the first claim queues it). A message waits until it holds the turn; when it ends, it wakes the
 * next in line. A missed wake-up costs at most `recheckMs`, after which it claims again.
 */
export function conversationTurn(conversationKey: string, messageKey: string, sentAt: string, recheckMs: number) {
  let woken = false;
  setHandler(inboundTurnFreed, () => void (woken = true));

  return {
    async wait(): Promise<void> {
      while (!(await claimInboundTurn({ conversationKey, messageKey, sentAt }))) {
        await condition(() => woken, recheckMs);
        woken = false;
      }
    },
    /** Always called, also on failure, so the conversation never waits on a finished message. */
    async release(): Promise<void> {
      await CancellationScope.nonCancellable(async () => {
        let leaving = messageKey;
        for (let skipped = 0; skipped <= MAX_SKIPPED; skipped++) {
          const next = await finishInboundTurn(conversationKey, leaving);
          if (!next) return;
          try {
            await getExternalWorkflowHandle(next).signal(inboundTurnFreed);
            return;
          } catch (error) {
            log.warn('the next message in line has ended; taking it out of the line', { conversationKey, next, reason: (error as Error).message });
            leaving = next;
          }
        }
      });
    },
  };
}
