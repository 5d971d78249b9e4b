import type { AccountId, ConversationKey } from '../domain/ids.js';

/** Where a conversation's messages go in HubSpot now. One row per conversation key. */
export interface ConversationThread {
  readonly conversationKey: ConversationKey;
  readonly accountId: AccountId;
  /** Sent as `integrationThreadId`; stable until the channel's policy starts a new thread. */
  readonly integrationThreadId: string;
  /** 0 for the first thread, +1 for each new one. */
  readonly generation: number;
  /** HubSpot's thread id, known once a message was published into the thread. */
  readonly hubspotThreadId?: string;
  /** ISO-8601 send time of the newest message published into the thread. */
  readonly lastMessageAt?: string;
  /**
   * ISO-8601 time the bridge last knew `hubspotThreadId` open: HubSpot took a message into it, or a read found it OPEN.
   * The thread resolver trusts it for a short window instead of reading the thread before every publish.
   */
  readonly threadOpenSeenAt?: string;
}

export interface ConversationStore {
  getConversation(conversationKey: string): Promise<ConversationThread | undefined>;
  /** Inserts or replaces the row (a new thread resets `hubspotThreadId`, `lastMessageAt` and `threadOpenSeenAt`). */
  saveConversation(thread: ConversationThread): Promise<void>;
  /**
   * After a publish: remembers HubSpot's thread id, moves `lastMessageAt` forward (never back), and notes the thread
   * seen open at `openSeenAt` (default: now), since HubSpot just took a message into it.
   */
  notePublished(conversationKey: string, hubspotThreadId: string, sentAt: string, openSeenAt?: string): Promise<void>;
  /**
   * A read found `hubspotThreadId` OPEN at `seenAt`: moves `threadOpenSeenAt` forward (never back), only while the
   * conversation is still in that thread.
   */
  noteThreadOpen(conversationKey: string, hubspotThreadId: string, seenAt: string): Promise<void>;
  /** The HubSpot message id of a message the bridge carried, either way, by the provider's id (for inReplyToId). */
  findHubSpotMessageId(accountId: string, providerMessageId: string): Promise<string | undefined>;
}

/** Inline bytes that came inside a webhook body (generic `dataBase64`), kept until the upload. */
export interface StagedMedia {
  readonly contentType?: string;
  readonly filename?: string;
  readonly bytes: Buffer;
}

export interface StagedMediaStore {
  /** Idempotent: a redelivered webhook stages the same bytes again under the same key. */
  stageMedia(messageKey: string, item: number, media: StagedMedia): Promise<void>;
  getStagedMedia(messageKey: string, item: number): Promise<StagedMedia | undefined>;
  /** Called once the message is published; its staged bytes are no longer needed. */
  dropStagedMedia(messageKey: string): Promise<void>;
  /** Deletes the rows whose key starts with `keyPrefix` staged before `before` (expired media links); how many. */
  dropStagedMediaBefore(keyPrefix: string, before: Date): Promise<number>;
}

/**
 * The key of a portal's HubSpot call slots, holds and per-minute counts: the pacer writes them, the console reads them.
 */
export const CALL_SLOT_KEY_PREFIX = 'hubspot:';
export const callSlotKey = (portalId: string) => `${CALL_SLOT_KEY_PREFIX}${portalId}`;

/**
 * Calls past `fromCount` in the window come one per `gapMs`, on a schedule kept per key: each call moves the key's due
 * time `gapMs` on from when it was due (or from now, if later). A call up to `gapMs / 2` early is let through, so
 * callers who wake a little late do not push the schedule back call after call.
 */
export interface CallSpacing {
  readonly fromCount: number;
  readonly gapMs: number;
}

/** When the key's next spaced call is due after a call at `nowMs` (its schedule at `dueMs`, if it had one). */
export const nextDue = (dueMs: number | undefined, nowMs: number, gapMs: number) =>
  Math.round(Math.max(dueMs ?? nowMs, nowMs - gapMs / 2) + gapMs);

/** How long a call must wait for its turn on the key's schedule (0: it may go now), with `inWindow` calls counted. */
export function spacedWait(spacing: CallSpacing, inWindow: number, dueMs: number | undefined, nowMs: number): number {
  const early = dueMs === undefined ? 0 : dueMs - spacing.gapMs / 2 - nowMs;
  return inWindow >= spacing.fromCount && early > 0 ? Math.ceil(early) : 0;
}

export interface CallSlotStore {
  /**
   * Takes one call slot in a rolling window shared by every process on this store, atomically.
   * Returns 0 when the slot is taken, or the milliseconds until one may be (nothing taken): the window is full, the
   * key is held (`holdCalls`) until then, or (with `spacing`) the window is busy and the key's next call is not due.
   */
  takeCallSlot(key: string, max: number, intervalMs: number, nowMs: number, spacing?: CallSpacing): Promise<number>;
  /**
   * Lets no slot of `key` be taken before `untilMs`, in any process on this store (HubSpot answered 429 with a
   * Retry-After). A hold only ever grows: an earlier `untilMs` than the current one changes nothing.
   * Counts one 429 in the minute of `nowMs` (default: the clock now).
   */
  holdCalls(key: string, untilMs: number, nowMs?: number): Promise<void>;
  /**
   * Moves a slot taken at `takenAtMs` to `nowMs`, when the call finished: the call reached HubSpot at
   * some moment in between, so counting from the end keeps our window around HubSpot's.
   * Optional: a store without it counts from the start (the 5 % margin then carries the skew).
   */
  stampCallSlot?(key: string, takenAtMs: number, nowMs: number): Promise<void>;
  /**
   * What the slots saw, per key, for an operator (the console): calls let through (slots taken) and 429s (`holdCalls`)
   * in every minute that overlaps `sinceMs`..now (kept for a day), the slots in the rolling window of `windowMs` ending
   * at `nowMs`, and a hold still in force. A key with none of these is left out.
   */
  readCallActivity(sinceMs: number, windowMs: number, nowMs: number): Promise<CallActivity[]>;
}

/** One key's calls as the call slots counted them (`CallSlotStore.readCallActivity`). */
export interface CallActivity {
  /** The key the slots were taken under (the pacer's `hubspot:<portalId>`). */
  readonly key: string;
  readonly calls: number;
  readonly rateLimited: number;
  readonly inWindow: number;
  /** Until when calls are held after a 429, if that is still ahead. */
  readonly heldUntilMs?: number;
}

/** One message's place in its conversation's publish turns. */
export interface InboundTurn {
  readonly conversationKey: string;
  readonly messageKey: string;
  /** ISO-8601 time the customer sent it: the turns follow it, then acceptance order. */
  readonly sentAt: string;
}

/**
 * Per-conversation publish turns shared by every api and worker process: at most one message of a conversation
 * holds the turn, and the next is the earliest sent of those waiting.
 */
export interface InboundTurnStore {
  /** Queues the message (idempotent), keeping its place if it was queued before. */
  queueInboundTurn(turn: InboundTurn, nowMs: number): Promise<void>;
  /** Queues the message if needed and takes the turn if nobody holds it and nothing waiting is ahead of it. */
  claimInboundTurn(turn: InboundTurn, nowMs: number): Promise<boolean>;
  /** Leaves the queue (holding the turn or not); returns the message now first in line, to be woken. */
  finishInboundTurn(conversationKey: string, messageKey: string): Promise<string | undefined>;
}
