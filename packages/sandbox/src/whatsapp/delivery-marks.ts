import type { WebhookDelivery, WhatsAppSandboxState } from './state.js';

/**
 * How far a customer's message got towards the business, for the customer page's ticks, from the webhook deliveries
 * (webhooks.ts): ✓✓ means the webhook URL (the bridge) answered 2xx to the signed POST that carried it.
 */
export interface DeliveryMark {
  /** queued: not answered yet (✓); retrying: refused or unreachable, tried again (⚠ and the reason);
   * delivered: answered 2xx (✓✓); failed: given up (⚠ and the reason). */
  readonly state: 'queued' | 'retrying' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly reason?: string;
}

function lastProblem(delivery: WebhookDelivery): string {
  const last = delivery.attempts.at(-1);
  if (!last) return 'not sent yet';
  return last.status !== undefined ? `the webhook answered ${last.status}` : (last.error ?? 'no answer');
}

function markOf(delivery: WebhookDelivery): DeliveryMark {
  const attempts = delivery.attempts.length;
  if (delivery.delivered) return { state: 'delivered', attempts };
  if (delivery.gaveUp)
    return {
      state: 'failed',
      attempts,
      reason: `Not delivered: ${lastProblem(delivery)} (gave up after ${attempts} attempts)`,
    };
  if (attempts > 0)
    return { state: 'retrying', attempts, reason: `Retrying (attempt ${attempts} failed): ${lastProblem(delivery)}` };
  return { state: 'queued', attempts };
}

type MessageBody = { entry?: { changes?: { value?: { messages?: { id?: string }[] } }[] }[] };

/** A mark for each customer message (by wamid) some webhook carried. */
export function deliveryMarks(state: WhatsAppSandboxState): Map<string, DeliveryMark> {
  const marks = new Map<string, DeliveryMark>();
  for (const delivery of state.deliveries) {
    if (delivery.kind !== 'message') continue;
    for (const entry of (delivery.body as MessageBody).entry ?? []) {
      for (const change of entry.changes ?? []) {
        for (const message of change.value?.messages ?? []) if (message.id) marks.set(message.id, markOf(delivery));
      }
    }
  }
  return marks;
}
