import { condition, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { BridgeActivities } from '../activities/index.js';
import { turnFreed } from '../domain/signals.js';
import { handTurnOn } from './line-turn.js';

// Store-only steps: local, so an uncontended message takes and hands back its turn without extra workflow tasks.
const { claimInboundTurn, finishInboundTurn } = proxyLocalActivities<BridgeActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});

/**
 * The turns of runs started before the conversation sequencer (src/workflows/line-turn.ts), kept so they replay: the
 * same lines through their own local activities. A message waits until it holds the turn; when it ends, it wakes the
 * next in line. A missed wake-up costs at most `recheckMs`, after which it claims again.
 */
export function conversationTurn(conversationKey: string, messageKey: string, sentAt: string, recheckMs: number) {
  let woken = false;
  setHandler(turnFreed, () => void (woken = true));

  return {
    async wait(): Promise<'granted'> {
      while (!(await claimInboundTurn({ conversationKey, messageKey, sentAt }))) {
        await condition(() => woken, recheckMs);
        woken = false;
      }
      return 'granted';
    },
    /** Always called, also on failure, so the conversation never waits on a finished message. */
    release: () => handTurnOn(finishInboundTurn, conversationKey, messageKey),
  };
}
