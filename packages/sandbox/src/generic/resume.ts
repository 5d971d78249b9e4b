import { retryAfterSeconds } from '../../../bridge/src/providers/generic/published-contract.js';
import { whenReachable } from '../when-reachable.js';
import { backoffMs, postSigned, type RetryPolicy } from './deliver.js';
import type { GenericSandboxState, OutgoingDelivery } from './state.js';

export interface ResumeDeps {
  readonly fetch: typeof fetch;
  readonly retry: RetryPolicy;
}

/**
 * After a restored world is loaded: a Standard Webhooks sender keeps retrying an undelivered message for about a
 * day, with the same webhook-id, across its own restarts. Each delivery that was still being tried continues, once
 * the bridge accepts connections, with a fresh retry budget and the same webhook-id. Returns how many.
 */
export function resumeGenericDeliveries(state: GenericSandboxState, deps: ResumeDeps): number {
  const pending = state.outgoing.filter((d) => d.outcome === 'pending');
  if (pending.length > 0)
    whenReachable(
      () => state.bridgeUrl,
      () => pending.forEach((d) => void continueDelivery(state, d, deps)),
    );
  return pending.length;
}

/** deliverToBridge's loop for a delivery that already exists: 2xx done, 410 disables the endpoint, else retry. */
async function continueDelivery(
  state: GenericSandboxState,
  delivery: OutgoingDelivery,
  deps: ResumeDeps,
): Promise<void> {
  for (let attempt = 1; attempt <= deps.retry.maxAttempts; attempt++) {
    if (state.disabledByBridge) {
      delivery.outcome = 'disabled';
      return;
    }
    const at = new Date().toISOString();
    let wait: number | undefined;
    try {
      const response = await postSigned(state, delivery, deps);
      const text = await response.text();
      delivery.lastAnswer = parseMaybe(text);
      wait = retryAfterSeconds(response.headers.get('retry-after'));
      delivery.attempts.push({
        at,
        answeredAt: new Date().toISOString(),
        status: response.status,
        ...(wait !== undefined ? { retryAfterSeconds: wait } : {}),
      });
      if (response.ok || response.status === 410) {
        if (response.status === 410) state.disabledByBridge = true;
        delivery.outcome = response.ok ? 'delivered' : 'disabled';
        return;
      }
    } catch (error) {
      delivery.attempts.push({ at, answeredAt: new Date().toISOString(), error: (error as Error).message });
    }
    if (attempt < deps.retry.maxAttempts)
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, deps.retry, wait)));
  }
  delivery.outcome = 'gave-up';
}

function parseMaybe(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
