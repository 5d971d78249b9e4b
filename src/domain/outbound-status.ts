/**
 * The status of a reply as HubSpot shows it, and the one rule about it: it only moves forward.
 * Workflow-safe: no I/O.
 */
export type HubSpotStatusType = 'SENT' | 'FAILED' | 'READ';
export type ReceiptStatusName = 'sent' | 'delivered' | 'read' | 'failed';

/** SENT, then READ or FAILED; both of those are final (reference/providers.md §5.2). */
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
