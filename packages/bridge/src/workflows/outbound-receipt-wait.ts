import { condition, patched, sleep } from '@temporalio/workflow';
import type { DeliverPartInput } from '../activities/delivery.js';
import type { OutboundReceipt } from '../domain/outbound.js';
import { deliverOutboundPart, sendPartOutsideWindow } from './outbound-activities.js';
import { failureReason } from './outbound-failure-reason.js';
import { isWindowClosed, type OutboundReceipts } from './outbound-receipts.js';

/**
 * Replies whose part failed because the customer's window had closed send it again once, the provider's way for that
 * (a configured template);
 * histories recorded before replay with the failure reported as it came.
 */
const WINDOW_TEMPLATE = 'window-template';
/**
 * Replies whose message failed for a reason the provider calls temporary (its throttling and transient codes)
 * send that message again later; histories recorded before replay with the failure reported as it came.
 */
const RESEND_TEMPORARY_FAILURE = 'resend-temporary-failure';

/** How many times one part's messages are sent again after temporary failures before the failure stands. */
export const MAX_RESENDS_PER_PART = 3;
/** The wait before a resend never exceeds this, however often the part failed. */
const MAX_RESEND_DELAY_MS = 30 * 60_000;

/**
 * A part that went: what was sent, the provider ids it became (with the piece each one is), and what was sent again for
 * it.
 */
export interface SentPart {
  readonly input: DeliverPartInput;
  /** Every provider id of this part, resends included; `pieces[i]` is which of the part's messages `ids[i]` is. */
  readonly ids: string[];
  readonly pieces: number[];
  templateIds?: readonly string[];
  resends?: number;
}

export function sentPart(input: DeliverPartInput, ids: readonly string[]): SentPart {
  return { input, ids: [...ids], pieces: ids.map((_, i) => i) };
}

export interface ReceiptWait {
  readonly receipts: OutboundReceipts;
  readonly sentParts: readonly SentPart[];
  /** Epoch ms after which nothing more is sent for this reply (its delivery window). */
  readonly deadline: number;
  readonly deliveryWindowMs: number;
  readonly receiptWaitMs: number;
}

/**
 * After SENT: waits (bounded by `receiptWaitMs`) for the receipt that makes the reply final, curing what sending again
 * can cure on the way: a part refused because the window had closed goes once as the template; a message that failed
 * for a temporary reason goes again after the provider's delay, doubling, up to MAX_RESENDS_PER_PART times and never
 * past the delivery window. A failure nothing cures is applied as it came; a late receipt finds no workflow.
 */
export async function awaitReceipts(wait: ReceiptWait): Promise<void> {
  const { receipts } = wait;
  const waitUntil = Date.now() + wait.receiptWaitMs;
  let waitMs = wait.receiptWaitMs;
  for (;;) {
    await condition(() => receipts.final || receipts.heldApart.length > 0, waitMs);
    const failed = receipts.heldApart.shift();
    if (!failed || receipts.final) break;
    const cure = isWindowClosed(failed) ? WINDOW_TEMPLATE : RESEND_TEMPORARY_FAILURE;
    if (!patched(cure)) {
      receipts.apply(failed);
      break;
    }
    await (cure === WINDOW_TEMPLATE ? outsideWindow(wait, failed) : resend(wait, failed));
    waitMs = waitUntil - Date.now();
    if (waitMs <= 0) break;
  }
  receipts.failHeldApart();
}

/** A part refused because the customer's window had closed goes once more (a template); its receipts then count. */
async function outsideWindow(wait: ReceiptWait, closed: OutboundReceipt): Promise<void> {
  const { receipts } = wait;
  const sent = wait.sentParts.find(
    (p) => p.ids.includes(closed.providerMessageId) || p.templateIds?.includes(closed.providerMessageId),
  );
  if (!sent || sent.templateIds?.includes(closed.providerMessageId)) return receipts.apply(closed);
  // Another message of a part already sent again (a long text goes as several): the one template stands for it.
  if (sent.templateIds) return;
  sent.templateIds = [];
  try {
    const { reportSent: _written, ...input } = sent.input;
    const outcome = await sendPartOutsideWindow(input);
    if (outcome.kind === 'unsupported') return receipts.apply(closed);
    sent.templateIds = outcome.providerMessageIds;
  } catch (error) {
    receipts.apply(closed, failureReason(error, wait.deliveryWindowMs));
  }
}

/**
 * The one message that failed for a temporary reason goes again, alone (not the part's other messages, which arrived),
 * after the provider's delay doubled per earlier resend of the part. Its new id joins the part's, so its receipts
 * count.
 */
async function resend(wait: ReceiptWait, failed: OutboundReceipt): Promise<void> {
  const { receipts } = wait;
  const sent = wait.sentParts.find((p) => p.ids.includes(failed.providerMessageId));
  if (!sent) return receipts.apply(failed);
  const attempt = (sent.resends ?? 0) + 1;
  const delayMs = Math.min(MAX_RESEND_DELAY_MS, (failed.resendAfterSeconds ?? 0) * 1000 * 2 ** (attempt - 1));
  if (attempt > MAX_RESENDS_PER_PART)
    return receipts.apply(
      failed,
      `${failed.reason ?? 'the provider could not deliver it'}; sent ${MAX_RESENDS_PER_PART} more times, and it failed each time`,
    );
  if (Date.now() + delayMs > wait.deadline)
    return receipts.apply(
      failed,
      `${failed.reason ?? 'the provider could not deliver it'}; too late to send again within the reply's delivery window`,
    );
  sent.resends = attempt;
  await sleep(delayMs);
  const piece = sent.pieces[sent.ids.indexOf(failed.providerMessageId)] ?? 0;
  // SENT was written with the first send (version 3); a resend writes nothing of its own.
  const { replyTo, reportSent: _written, ...input } = sent.input;
  try {
    // The reply context rides on the reply's first message only, as it did the first time.
    const delivered = await deliverOutboundPart({
      ...input,
      ...(piece === 0 && replyTo ? { replyTo } : {}),
      resend: { attempt, piece },
    });
    if (delivered.providerMessageIds.length === 0) return receipts.apply(failed);
    for (const id of delivered.providerMessageIds) {
      sent.ids.push(id);
      sent.pieces.push(piece);
    }
  } catch (error) {
    receipts.apply(failed, failureReason(error, wait.deliveryWindowMs));
  }
}
