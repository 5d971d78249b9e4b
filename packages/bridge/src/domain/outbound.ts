import { defineSignal } from '@temporalio/workflow';
import type { ReceiptStatusName } from './outbound-status.js';

/**
 * A rep's reply as the outbound workflow receives it: ids and content from HubSpot's
 * `OUTGOING_CHANNEL_MESSAGE_CREATED` event, never a secret. Attachment bytes stay in HubSpot Files;
 * the delivery activity fetches them through signed URLs.
 */
export interface OutboundRequest {
  readonly hubspotMessageId: string;
  readonly portalId: string;
  readonly channelId: string;
  readonly channelAccountId: string;
  /** `channelIntegrationThreadIds[0]`: the conversation key `{accountId}:{chatId}` inbound used. */
  readonly integrationThreadId?: string;
  /** Recipients' delivery identifiers, the fallback route when there is no integration thread id. */
  readonly recipients: readonly { readonly type: string; readonly value: string }[];
  /** Plain text; `richText` (HTML) wins when present. */
  readonly text?: string;
  readonly richText?: string;
  readonly attachments: readonly OutboundFileRef[];
  /** HubSpot's createdAt (ISO-8601): the order replies to one chat are delivered in. */
  readonly createdAt: string;
  readonly policy: OutboundPolicy;
  /**
   * HubSpot's `inReplyToId`: the HubSpot message id of the message the rep replied to. The plan activity maps it to
   * the provider's id (src/activities/delivery.ts, `planOutboundReply`); an id the bridge never published maps to
   * nothing.
   */
  readonly inReplyToHubSpotMessageId?: string;
  /**
   * The provider's id of the customer message the rep replied to (as its adapter's `normalise` named it), when
   * already known; sent on the reply's first message (reply_parameters, context). The plan's mapping of
   * `inReplyToHubSpotMessageId` wins over it.
   */
  readonly replyToProviderMessageId?: string;
  /** Epoch ms: runs started before the conversation sequencer were held this long by the api's catch-up window. */
  readonly holdUntil?: number;
  /**
   * Set when an operator retries a reply that failed: this run sends it again under the same part ledger (parts that
   * reached the customer are not sent twice), and its delivery window counts from `requestedAt`, not from createdAt.
   */
  readonly retry?: OutboundRetry;
}

/** An operator's retry of a failed reply (`messages retry`, `POST /admin/messages/{id}/retry`). */
export interface OutboundRetry {
  /** The reply's workflow id (the retry is a new run of it; the failed run's id is in the new run's memo). */
  readonly of: string;
  /** 1 for the first retry. */
  readonly attempt: number;
  /** ISO-8601: when the operator asked. */
  readonly requestedAt: string;
  /**
   * Parts the provider took, then reported failed (a `failed` receipt): sent again under this retry's own ledger row
   * (`{hubspotMessageId}:retry-{attempt}`). Every other part keeps the reply's ledger: sent ones are skipped.
   */
  readonly resendParts?: readonly number[];
}

/** One file of the reply, by HubSpot Files id. */
export interface OutboundFileRef {
  readonly fileId: string;
  readonly name?: string;
  /** HubSpot's `fileUsageType` (IMAGE, AUDIO, VOICE_RECORDING, STICKER, OTHER). */
  readonly usageType?: string;
}

/** Time limits of one reply; set from configuration when the api starts the workflow. */
export interface OutboundPolicy {
  /** A reply not delivered this long after it was written fails with a readable reason. */
  readonly deliveryWindowMs: number;
  /** How long the workflow waits for delivered/read receipts once SENT, then completes. */
  readonly receiptWaitMs: number;
  /** Runs started before the conversation sequencer waited this long before polling for their turn. @default 1000 */
  readonly orderingSettleMs?: number;
}

/** A provider's receipt for one of the messages the reply became, routed by provider message id. */
export interface OutboundReceipt {
  readonly providerMessageId: string;
  readonly status: ReceiptStatusName;
  readonly reason?: string;
  /** The provider's own error code of a `failed` receipt. Optional: older signals lack it. */
  readonly code?: string | number;
  /**
   * A `failed` because the customer's messaging window had closed: the part may go once more the provider's way for
   * that (its adapter's `sendOutsideWindow`). Optional: older signals carry only the code.
   */
  readonly windowClosed?: boolean;
  /**
   * For a `failed` a later try can fix (the provider's throttling and transient codes): seconds to wait before sending
   * that
   * message again. Optional: older signals lack it, and their failures stay final.
   */
  readonly resendAfterSeconds?: number;
}

export const outboundReceipt = defineSignal<[OutboundReceipt]>('outboundReceipt');

/**
 * 24 hours to deliver (as long as the longest customer window a provider has); 7 days of waiting for a read receipt.
 */
export const DEFAULT_OUTBOUND_POLICY: OutboundPolicy = {
  deliveryWindowMs: 24 * 3_600_000,
  receiptWaitMs: 7 * 24 * 3_600_000,
};
