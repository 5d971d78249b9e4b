/** What an attempt at one reply part may do, from what earlier attempts left behind. */
export type PartSendRecord =
  /** An earlier attempt was answered with success: the part went, do not send it again. */
  | { readonly state: 'sent'; readonly providerMessageIds: readonly string[] }
  /** An earlier attempt began within the grace period and was never answered: it may still be sending. */
  | { readonly state: 'maybe-in-flight'; readonly startedMs: number }
  /** Send: marked as sending now. `unanswered` earlier attempts sent a request and never learned its outcome. */
  | { readonly state: 'send'; readonly unanswered: number };

/** The send ledger of reply parts: at most one accepted send per part, whatever Temporal remembers. */
export interface OutboundPartStore {
  /**
   * Decides, in one transaction, whether this attempt sends the part, and if so marks it as sending. An unanswered
   * attempt younger than `graceMs` is presumed still in flight (a retry started beside it) rather than lost.
   */
  beginPartSend(hubspotMessageId: string, partIndex: number, graceMs: number): Promise<PartSendRecord>;
  /** The provider accepted the part; a later attempt returns these ids instead of sending. */
  recordPartSent(hubspotMessageId: string, partIndex: number, providerMessageIds: readonly string[]): Promise<void>;
  /** The provider answered with a refusal: nothing went, so the next attempt is a clean one. */
  recordPartRefused(hubspotMessageId: string, partIndex: number): Promise<void>;
}

export interface PartRow {
  readonly state: string;
  readonly provider_message_ids: string | null;
  readonly attempts: number;
  readonly updated_at: string;
}

/** The decision for an attempt at `nowMs`, given the part's row; `send` means the caller marks it as sending. */
export function partDecision(row: PartRow | undefined, nowMs: number, graceMs: number): PartSendRecord {
  if (row?.state === 'sent')
    return { state: 'sent', providerMessageIds: JSON.parse(row.provider_message_ids ?? '[]') as string[] };
  if (row?.state === 'sending') {
    const startedMs = Date.parse(row.updated_at);
    if (nowMs - startedMs < graceMs) return { state: 'maybe-in-flight', startedMs };
  }
  return { state: 'send', unanswered: row?.state === 'sending' ? row.attempts : 0 };
}
