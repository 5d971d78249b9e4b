import { ApplicationFailure, condition, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { StatusKey } from '../domain/search-attributes.js';
import { accountStateChanged, MessageStatus, type AccountStateChange } from '../domain/signals.js';
import { historyBudgetSpent } from './history-budget.js';

export type HoldOutcome = 'turned-on' | 'continue-as-new';

/**
 * Holding a message while its account is turned off. The account lifecycle signals `accountStateChanged` to every
 * workflow with `BridgeStatus = HELD`; a periodic recheck covers a signal sent just before we were HELD.
 * `heldSince` carries the hold's start across continue-as-new, so the limit counts from the first hold.
 */
export function accountHold(recheckMs: number, limitMs: number, heldSince?: number) {
  let change: AccountStateChange | undefined;
  setHandler(accountStateChanged, (c) => void (change = c));
  const current = (): AccountStateChange | undefined => change;

  return {
    /** When the hold began (epoch ms), once held. */
    get heldSince(): number | undefined {
      return heldSince;
    },
    /**
     * Resolves when publishing is worth trying again, or when the run's history is spent and the wait goes on in a
     * fresh run; throws when the account was removed or the hold ran out.
     */
    async waitUntilTurnedOn(reason: string): Promise<HoldOutcome> {
      upsertSearchAttributes([{ key: StatusKey, value: MessageStatus.Held }]);
      // Date.now() is the workflow's deterministic clock.
      heldSince ??= Date.now();
      const since = heldSince;
      change = undefined;
      for (;;) {
        const wait = Math.min(recheckMs, limitMs - (Date.now() - since));
        if (wait <= 0) {
          throw ApplicationFailure.nonRetryable(
            `the account stayed turned off for ${Math.round(limitMs / 1000)} s, so the message was not published (${reason})`,
            'AccountHeldTooLong',
          );
        }
        if (historyBudgetSpent()) return 'continue-as-new';
        const signalled = await condition(() => change !== undefined, wait);
        // Read through a function: the signal handler changes `change` behind TypeScript's narrowing.
        const latest = current();
        if (latest?.removed)
          throw ApplicationFailure.nonRetryable(
            'the account was removed from HubSpot while the message was held',
            'AccountRemoved',
          );
        if (!signalled || latest?.authorized) break;
        change = undefined;
      }
      upsertSearchAttributes([{ key: StatusKey, value: MessageStatus.Accepted }]);
      return 'turned-on';
    },
  };
}
