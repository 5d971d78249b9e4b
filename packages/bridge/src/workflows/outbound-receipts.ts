import type { OutboundReceipt } from '../domain/outbound.js';
import { movesForward, statusForReceipt, type HubSpotStatusType } from '../domain/outbound-status.js';

/**
 * The error code that, before receipts carried `windowClosed`, alone marked a part refused because the customer's
 * window had closed; signals recorded then carry only it, so it still counts (the normaliser now sets both).
 */
export const LEGACY_WINDOW_CLOSED_CODE = 131047;

/**
 * A `failed` receipt saying the customer's messaging window had closed: the part may go again the provider's way for
 * that.
 */
export function isWindowClosed(receipt: OutboundReceipt): boolean {
  if (receipt.status !== 'failed') return false;
  return (
    receipt.windowClosed === true ||
    (receipt.code !== undefined && String(receipt.code) === String(LEGACY_WINDOW_CLOSED_CODE))
  );
}

/** A `failed` receipt the provider says a later try can fix (throttling, its own outage): the message may go again. */
export function mayResend(receipt: OutboundReceipt): boolean {
  return receipt.status === 'failed' && receipt.resendAfterSeconds !== undefined && receipt.resendAfterSeconds >= 0;
}

/**
 * The reply's status as the workflow knows it: what HubSpot was told, and the furthest state any
 * receipt for one of its provider messages reached. Receipts may arrive out of order, twice, or
 * before the send returned; only forward moves count.
 *
 * A failure that sending again may cure is held apart (`heldApart`) until the workflow decides: after the window had
 * closed, send the part as a template; after a temporary failure, send that message again later (the new message's
 * receipts then count as any part's); or `apply` it as any other failure.
 */
export class OutboundReceipts {
  /** Last status PATCHed to HubSpot. */
  reported: HubSpotStatusType | undefined;
  /** Furthest state the provider reported, with the reason for a failure. */
  furthest: HubSpotStatusType | undefined;
  reason: string | undefined;
  /** Failures a send may cure that the workflow has not decided on yet, in arrival order. */
  readonly heldApart: OutboundReceipt[] = [];

  receive(receipt: OutboundReceipt): void {
    if (isWindowClosed(receipt) || mayResend(receipt)) {
      this.heldApart.push(receipt);
      return;
    }
    this.apply(receipt);
  }

  /** Applies a receipt as it is (for a failure, with `reason` instead of the receipt's own when given). */
  apply(receipt: OutboundReceipt, reason?: string): void {
    const next = statusForReceipt(receipt.status);
    if (!movesForward(this.furthest, next)) return;
    this.furthest = next;
    if (next === 'FAILED') this.reason = reason ?? receipt.reason ?? 'the provider could not deliver the reply';
  }

  /** Every failure still held apart counts as the failure it is (nothing more is sent for them). */
  failHeldApart(): void {
    for (const receipt of this.heldApart.splice(0)) this.apply(receipt);
  }

  /** READ or FAILED: nothing after it changes HubSpot. */
  get final(): boolean {
    return this.furthest === 'READ' || this.furthest === 'FAILED';
  }

  /** The next status to report, if reporting it moves HubSpot forward. */
  pending(): HubSpotStatusType | undefined {
    return this.furthest && movesForward(this.reported, this.furthest) ? this.furthest : undefined;
  }
}
