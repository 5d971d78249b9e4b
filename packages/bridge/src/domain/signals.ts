import { defineSignal } from '@temporalio/workflow';

/**
 * Sent to every message workflow that is holding for an account (search attributes
 * `BridgeAccountId = <id> AND BridgeStatus = "HELD"`) when the account is turned back on, turned off,
 * or removed. A held inbound or outbound workflow resumes on `authorized: true` and ends with a
 * readable reason on `removed: true`.
 */
export interface AccountStateChange {
  readonly authorized: boolean;
  readonly removed: boolean;
}

export const accountStateChanged = defineSignal<[AccountStateChange]>('accountStateChanged');

/**
 * message → next message of its line (docs/ORDERING.md): the turn may be free; claim it. Sent by the message leaving
 * the turn, and by the api's sweeper when it takes a dead place out of a line. The name predates reply lines: runs
 * started before the sequencer listen for it, and they share the lines, so one signal wakes old and new alike.
 */
export const turnFreed = defineSignal<[]>('inboundTurnFreed');

/** `BridgeStatus` values, shared by workflows (upsert) and the api and CLI (queries). */
export const MessageStatus = {
  Accepted: 'ACCEPTED',
  Held: 'HELD',
  Published: 'PUBLISHED',
  Sent: 'SENT',
  Read: 'READ',
  Failed: 'FAILED',
} as const;
