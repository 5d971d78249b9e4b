import type { InboundTurn, InboundTurnStore } from '../store/inbound-types.js';

/**
 * A conversation's publish turns, kept in the store rather than in an entity workflow: taking and handing back
 * a turn is one local store transaction, so an uncontended message costs no extra workflow task or signal.
 */
export function createInboundTurnActivities(store: InboundTurnStore) {
  return {
    /** True when the message holds its conversation's turn (queued first if the api had not queued it). */
    async claimInboundTurn(turn: InboundTurn): Promise<boolean> {
      return store.claimInboundTurn(turn, Date.now());
    },
    /** Leaves the turns; returns the message first in line now, which the workflow wakes. */
    async finishInboundTurn(conversationKey: string, messageKey: string): Promise<string | null> {
      return (await store.finishInboundTurn(conversationKey, messageKey)) ?? null;
    },
  };
}
