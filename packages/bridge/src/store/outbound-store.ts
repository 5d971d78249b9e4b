/** One rep reply on its way to a chat; the row orders replies to the same chat. */
export interface OutboundDelivery {
  readonly hubspotMessageId: string;
  readonly workflowId: string;
  readonly accountId: string;
  /** `{accountId}:{chatId}`: replies with the same key are delivered one at a time, oldest first. */
  readonly conversationKey: string;
  /** HubSpot's createdAt (ISO-8601). */
  readonly createdAt: string;
}

/** The outbound side's store part: delivery turns per chat, and provider message id → workflow for receipts. */
export interface OutboundStore {
  /** Records a reply as waiting for its turn; a second call with the same id keeps the first row. */
  registerOutbound(delivery: OutboundDelivery): Promise<void>;
  /** The reply is done (sent, failed or given up); later replies to its chat may go. Idempotent. */
  finishOutbound(hubspotMessageId: string): Promise<void>;
  /**
   * The HubSpot id of an unfinished reply to the same chat written before this one (createdAt, then id),
   * registered within `lookbackMs`; undefined when this reply's turn has come.
   */
  earlierOutbound(
    hubspotMessageId: string,
    lookbackMs: number,
    options?: EarlierOutboundOptions,
  ): Promise<string | undefined>;
  /** Maps each provider message id the reply became to its workflow, so receipts find it. Idempotent. */
  recordOutboundProviderIds(
    accountId: string,
    providerMessageIds: readonly string[],
    workflowId: string,
  ): Promise<void>;
  findOutboundWorkflow(accountId: string, providerMessageId: string): Promise<string | undefined>;
}

/**
 * `outsideLines`: only replies waiting outside the sequencer's lines (runs started before it); those in a line follow
 * it.
 */
export interface EarlierOutboundOptions {
  readonly outsideLines?: boolean;
}

/** The earlier-reply condition's extra clause for `outsideLines` (both backends). */
export const OUTSIDE_LINES =
  'AND NOT EXISTS (SELECT 1 FROM conversation_turns t WHERE t.message_key = other.workflow_id)';
