import type { QueuedMessage } from './conversation-signals.js';

/** What a conversation carries through continue-as-new. */
export interface TurnQueueState {
  readonly pending: readonly QueuedMessage[];
  readonly current?: QueuedMessage;
  /** Recently finished workflow ids, so a late redelivery does not queue a finished message again. */
  readonly recentDone: readonly string[];
}

const RECENT_LIMIT = 500;

/**
 * One conversation's turns: at most one message holds the turn; the rest wait in send-time order
 * (arrival order among equal times). Plain data and logic, so it is tested without Temporal.
 */
export class TurnQueue {
  private pending: QueuedMessage[];
  private recentDone: string[];
  current: QueuedMessage | undefined;

  constructor(state: TurnQueueState = { pending: [], recentDone: [] }) {
    this.pending = [...state.pending];
    this.recentDone = [...state.recentDone];
    this.current = state.current;
  }

  /** Returns false for a message already queued, holding the turn, or recently done. */
  add(message: QueuedMessage): boolean {
    const id = message.workflowId;
    if (this.current?.workflowId === id || this.recentDone.includes(id) || this.pending.some((m) => m.workflowId === id)) return false;
    const at = Date.parse(message.sentAt);
    const before = this.pending.findIndex((m) => Date.parse(m.sentAt) > at);
    if (before === -1) this.pending.push(message);
    else this.pending.splice(before, 0, message);
    return true;
  }

  hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Hands the turn to the earliest waiting message. */
  grantNext(): QueuedMessage | undefined {
    if (this.current) return undefined;
    this.current = this.pending.shift();
    return this.current;
  }

  /** The holder finished, or a waiting message finished without a turn; either way it leaves the queue. */
  done(workflowId: string): void {
    if (this.current?.workflowId === workflowId) this.current = undefined;
    this.pending = this.pending.filter((m) => m.workflowId !== workflowId);
    if (!this.recentDone.includes(workflowId)) this.recentDone = [...this.recentDone, workflowId].slice(-RECENT_LIMIT);
  }

  isIdle(): boolean {
    return !this.current && this.pending.length === 0;
  }

  snapshot(): TurnQueueState {
    return { pending: [...this.pending], current: this.current, recentDone: [...this.recentDone] };
  }
}
