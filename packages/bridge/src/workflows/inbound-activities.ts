import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BridgeActivities } from '../activities/index.js';
import { ErrorType } from '../domain/errors.js';

// Each step's timeouts and retries in one place. Non-retryable types end the step at once.
const final = [ErrorType.HubSpotRejected, ErrorType.AccountNotFound];

/** Download + upload of one item: heartbeats with the bytes sent; after 8 tries the item becomes a note. */
export const { carryInboundMedia } = proxyActivities<BridgeActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 8,
    nonRetryableErrorTypes: final,
  },
});

/**
 * Local: a store read and at most one paced HubSpot read, so it shares the workflow task with the turn instead of
 * costing one of its own. Retries longer than 2 s (a spent call budget, an outage) wait on a durable timer.
 */
export const { resolveInboundThread } = proxyLocalActivities<BridgeActivities>({
  startToCloseTimeout: '1 minute',
  localRetryThreshold: '2 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: final,
  },
});

/** Unlimited attempts: HubSpot outages end; the same integrationIdempotencyId makes every retry safe. */
export const { publishInboundMessage } = proxyActivities<BridgeActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: final,
  },
});

/** Store-only, so local: no extra workflow task between the publish and the message's end. */
export const { recordInboundMapping } = proxyLocalActivities<BridgeActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '30 seconds' },
});

/**
 * The common case in one local activity (src/activities/inbound-one-step.ts): one attempt, bounded, since every way it
 * can fail (HubSpot slow or refusing, the portal's budget spent, the store busy) is better met by the durable steps
 * above, with their retries and timers, which the workflow falls back to.
 */
export const { publishInboundInOneStep } = proxyLocalActivities<BridgeActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { maximumAttempts: 1 },
});
