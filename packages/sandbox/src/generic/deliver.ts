import { randomUUID } from 'node:crypto';
import { retryAfterSeconds, signStandardWebhook } from '../../../bridge/src/providers/generic/published-contract.js';
import type { GenericSandboxState, OutgoingDelivery } from './state.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  /** Also caps a Retry-After the bridge asks for, so a test never waits for minutes. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with up to 50 % jitter, or the bridge's Retry-After when it gave one. */
export function backoffMs(attempt: number, policy: RetryPolicy, retryAfter?: number): number {
  if (retryAfter !== undefined) return Math.min(retryAfter * 1000, policy.maxDelayMs);
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(exponential + Math.random() * exponential * 0.5, policy.maxDelayMs);
}

/**
 * Sends one event to the bridge the way Standard Webhooks asks a sender to: the same webhook-id on
 * every attempt, a fresh timestamp and signature each time, 2xx = done, 410 = stop sending to this
 * endpoint, anything else (or no answer) = retry with backoff, up to `maxAttempts`.
 */
export async function deliverToBridge(
  state: GenericSandboxState,
  event: { type: OutgoingDelivery['type']; messageId: string; body: unknown },
  options: { fetch: typeof fetch; retry: RetryPolicy; timeoutMs?: number },
): Promise<OutgoingDelivery> {
  const delivery: OutgoingDelivery = {
    webhookId: `msg_${randomUUID().replaceAll('-', '')}`,
    type: event.type,
    messageId: event.messageId,
    body: event.body,
    attempts: [],
    outcome: 'pending',
  };
  state.outgoing.push(delivery);
  if (state.disabledByBridge) {
    delivery.outcome = 'disabled';
    return delivery;
  }
  for (let attempt = 1; attempt <= options.retry.maxAttempts; attempt++) {
    const at = new Date().toISOString();
    let wait: number | undefined;
    try {
      const response = await postSigned(state, delivery, options);
      const text = await response.text();
      delivery.lastAnswer = parseMaybe(text);
      wait = retryAfterSeconds(response.headers.get('retry-after'));
      delivery.attempts.push({
        at,
        answeredAt: new Date().toISOString(),
        status: response.status,
        ...(wait !== undefined ? { retryAfterSeconds: wait } : {}),
      });
      if (response.ok) {
        delivery.outcome = 'delivered';
        return delivery;
      }
      if (response.status === 410) {
        state.disabledByBridge = true;
        delivery.outcome = 'disabled';
        return delivery;
      }
    } catch (error) {
      delivery.attempts.push({ at, answeredAt: new Date().toISOString(), error: (error as Error).message });
    }
    if (attempt < options.retry.maxAttempts) await sleep(backoffMs(attempt, options.retry, wait));
  }
  delivery.outcome = 'gave-up';
  return delivery;
}

/** One attempt: the same webhook-id, a fresh timestamp and signature (also what a replay storm sends). */
export function postSigned(
  state: GenericSandboxState,
  delivery: Pick<OutgoingDelivery, 'webhookId' | 'body'>,
  options: { fetch: typeof fetch; timeoutMs?: number },
): Promise<Response> {
  const body = JSON.stringify(delivery.body);
  const timestamp = Math.floor(Date.now() / 1000);
  return options.fetch(state.bridgeUrl, {
    method: 'POST',
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    headers: {
      'content-type': 'application/json',
      'webhook-id': delivery.webhookId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signStandardWebhook(state.signingSecret, delivery.webhookId, timestamp, body),
    },
    body,
  });
}

function parseMaybe(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
