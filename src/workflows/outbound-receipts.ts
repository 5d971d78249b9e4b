import type { OutboundReceipt } from '../domain/outbound.js';
import { movesForward, statusForReceipt, type HubSpotStatusType } from '../domain/outbound-status.js';

/**
 * The reply's status as the workflow knows it: what HubSpot was told, and the furthest state any
 * receipt for one of its provider messages reached. Receipts may arrive out of order, twice, or
 * before the send returned; only forward moves count.
 */
export class OutboundReceipts {
  /** Last status PATCHed to HubSpot. */
  reported: HubSpotStatusType | undefined;
  /** Furthest state the provider reported, with the reason for a failure. */
  furthest: HubSpotStatusType | undefined;
  reason: string | undefined;

  receive(receipt: OutboundReceipt): void {
    const next = statusForReceipt(receipt.status);
    if (!movesForward(this.furthest, next)) return;
    this.furthest = next;
    if (next === 'FAILED') this.reason = receipt.reason ?? 'the provider could not deliver the reply';
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
