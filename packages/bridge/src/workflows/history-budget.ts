import { patched, workflowInfo } from '@temporalio/workflow';

/**
 * The most events one run of a message's workflow keeps before a long wait goes on in a fresh run (continue-as-new).
 * A run then never nears Temporal's 51,200-event limit, however long it waits: a wait step costs at most a few dozen
 * events, so every run of a waiting message stays under HISTORY_BOUND.
 */
export const HISTORY_BUDGET = 1_000;
/** What the tests assert of every run: the budget plus the steps between two looks at it. */
export const HISTORY_BOUND = 1_200;

/** Runs that began before waits were bounded replay without continuing as new. */
const BOUNDED_HISTORY = 'bounded-history';

/** True when a waiting run should hand over to a fresh one (checked between wait steps, never mid-step). */
export function historyBudgetSpent(): boolean {
  const info = workflowInfo();
  if (info.historyLength < HISTORY_BUDGET && !info.continueAsNewSuggested) return false;
  return patched(BOUNDED_HISTORY);
}
