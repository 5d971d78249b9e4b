/**
 * The status of a reply as HubSpot shows it, and the one rule about it: it only moves forward.
 * Workflow-safe: no I/O.
 */
export type HubSpotStatusType = 'SENT' | 'FAILED' | 'READ';
export type ReceiptStatusName = 'sent' | 'delivered' | 'read' | 'failed';

/**
 * SENT, then READ or FAILED; both of those are final (the statuses:
 * https://developers.hubspot.com/docs/api-reference/latest/conversations/custom-channels/messages/update-custom-channel;
 * the order is the bridge's rule, [INFERRED]).
 */
const RANK: Readonly<Record<HubSpotStatusType | 'NONE', number>> = { NONE: 0, SENT: 1, READ: 2, FAILED: 2 };

/** What a provider receipt means in HubSpot's terms. `delivered` is still SENT: HubSpot has no DELIVERED. */
export function statusForReceipt(status: ReceiptStatusName): HubSpotStatusType {
  if (status === 'read') return 'READ';
  if (status === 'failed') return 'FAILED';
  return 'SENT';
}

/** True when `next` moves the status forward from `current`; a late `delivered` after `read` does not. */
export function movesForward(current: HubSpotStatusType | undefined, next: HubSpotStatusType): boolean {
  return RANK[next] > RANK[current ?? 'NONE'];
}

/** `ApplicationFailure` types the outbound activities throw; the workflow reads them to decide the status. */
export const OutboundErrorType = {
  /** The provider refused the reply for good; the message is the reason the rep reads. */
  DeliveryRefused: 'DeliveryRefused',
  /** The reply's policy window ended before it could be delivered. */
  DeliveryWindowExpired: 'DeliveryWindowExpired',
  /** An earlier reply to the same chat is still on its way; retried until it is done. */
  NotYourTurn: 'NotYourTurn',
} as const;
