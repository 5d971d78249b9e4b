import type { LineTurn, SequencerStore } from '../store/sequencer-types.js';
import { HttpError } from './http-error.js';

/**
 * Starts a message's workflow with its place in its line taken first (docs/ORDERING.md): a message accepted earlier is
 * in line before a later one's workflow can claim the turn, however long each start takes. The place is given back
 * when the start was refused (the sender retries, and takes it again) or was a duplicate (the message's own run had
 * its place; one taken now would stand first in line with nobody to take the turn). A place already held is left alone.
 */
export async function startInLine<T extends { readonly started: boolean }>(
  store: Pick<SequencerStore, 'queueTurn' | 'finishTurn'> | undefined,
  turn: LineTurn | undefined,
  start: () => Promise<T>,
): Promise<T> {
  if (!store || !turn) return start();
  let queuedNow: boolean;
  try {
    queuedNow = await store.queueTurn(turn, Date.now());
  } catch (error) {
    throw new HttpError(503, 'the store is unavailable; retry later', { cause: error });
  }
  const giveBack = () =>
    queuedNow
      ? store.finishTurn(turn.lineKey, turn.messageKey).then(
          () => undefined,
          () => undefined,
        )
      : undefined;
  let result: T;
  try {
    result = await start();
  } catch (error) {
    await giveBack();
    throw error;
  }
  if (!result.started) await giveBack();
  return result;
}
