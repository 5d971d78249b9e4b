import { currentActivity } from './current-activity.js';
import type { InboundTurn, InboundTurnStore } from '../store/inbound-types.js';
import type { LineTurn, SequencerStore, TurnClaim } from '../store/sequencer-types.js';
import type { Store } from '../store/types.js';

/** How often a reply first in its line looks again at a pre-sequencer reply ahead of it. */
const LEGACY_RECHECK_MS = 2_000;

/**
 * Messages waiting for their line's turn inside their one step, in this process, by line: a turn left here wakes them
 * at once; one left by another process is found by their next poll.
 */
const waitingInStep = new Map<string, Set<() => void>>();

/** Resolves when this process leaves a turn of the line, or after `ms`, whichever is first. */
export function lineMayBeFree(lineKey: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const waiters = waitingInStep.get(lineKey) ?? new Set<() => void>();
    waitingInStep.set(lineKey, waiters);
    const done = () => {
      clearTimeout(timer);
      waiters.delete(done);
      if (waiters.size === 0) waitingInStep.delete(lineKey);
      resolve();
    };
    const timer = setTimeout(done, ms);
    waiters.add(done);
  });
}

function lineLeft(lineKey: string): void {
  for (const wake of [...(waitingInStep.get(lineKey) ?? [])]) wake();
}

/**
 * A reply's claim also names its HubSpot message, so replies registered before the sequencer existed keep their place.
 */
export interface LineTurnClaim extends LineTurn {
  readonly hubspotMessageId?: string;
  /** How far back an unfinished earlier reply still counts (the delivery window). */
  readonly lookbackMs?: number;
  /** Not granted, the message waits inside its step until then (src/activities/inbound-one-step.ts). */
  readonly inStepUntilMs?: number;
}

/**
 * The conversation sequencer's steps (docs/ORDERING.md), kept in the store rather than in an entity workflow: taking
 * and handing back a turn is one local store transaction, so an uncontended message costs no extra workflow task or
 * signal. The inbound-named pair is the same thing for runs that started before the sequencer.
 */
export function createInboundTurnActivities(store: InboundTurnStore & SequencerStore & Pick<Store, 'earlierOutbound'>) {
  return {
    /** The line's turn, or not yet (with the catch-up hold's end when one covers the line). */
    async claimTurn(turn: LineTurnClaim): Promise<TurnClaim> {
      const claim = await store.claimTurn(turn, Date.now(), turn.inStepUntilMs);
      if (!claim.granted || !turn.hubspotMessageId) return claim;
      // First in its line. An earlier reply still unfinished outside every line is one started before the sequencer
      // existed (it waits in the old registry and wakes nobody), or one about to take its place: keep the turn and look
      // again shortly. Earlier replies in the line follow the line, so two replies never wait on each other.
      const older = await store.earlierOutbound(turn.hubspotMessageId, turn.lookbackMs ?? 24 * 3_600_000, {
        outsideLines: true,
      });
      return older ? { granted: false, holdUntilMs: Date.now() + LEGACY_RECHECK_MS } : claim;
    },
    /**
     * Leaves the line; returns the message first in line now, which the workflow wakes. Called by a workflow for
     * another message (it found no workflow to wake there), it takes that one out only if it ended: one whose start is
     * still to be made keeps its place (store.takeOutOfLine). The activity's name and arguments stay as recorded
     * histories have them.
     */
    async finishTurn(lineKey: string, messageKey: string): Promise<string | null> {
      const caller = currentActivity()?.info.workflowExecution?.workflowId ?? messageKey;
      const next =
        caller === messageKey
          ? await store.finishTurn(lineKey, messageKey, Date.now())
          : await store.takeOutOfLine(lineKey, messageKey, Date.now());
      lineLeft(lineKey);
      return next ?? null;
    },
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
