import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BridgeActivities } from '../activities/index.js';
import { ErrorType } from '../domain/errors.js';
import { OutboundErrorType } from '../domain/outbound-status.js';

/** The outbound workflow's activities, each group with the timeouts and retries its work needs. */
export const { resolveOutbound, finishOutbound, reportOutboundStatus } = proxyActivities<BridgeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [ErrorType.HubSpotRejected],
  },
});

// Retried until the part goes, the provider refuses it for good, or the policy window closes (checked in the activity).
// The heartbeat timeout notices a worker that died mid-delivery in seconds; the activity beats every 2 s.
export const { deliverOutboundPart, planOutboundReply, sendPartOutsideWindow } = proxyActivities<BridgeActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [
      OutboundErrorType.DeliveryRefused,
      OutboundErrorType.DeliveryWindowExpired,
      ErrorType.HubSpotRejected,
    ],
  },
});

// Polled through retries (no history grows); short intervals so a reply follows soon after the one before it.
export const { awaitDeliveryTurn } = proxyActivities<BridgeActivities>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 1.5,
    maximumInterval: '5 seconds',
    nonRetryableErrorTypes: [OutboundErrorType.DeliveryWindowExpired],
  },
});

/**
 * Version 2's store-only steps (the route, leaving the old registry): local, so the reply's first step and the step
 * between its delivery and its SENT share a workflow task instead of costing an activity's round trip each.
 */
export const LOCAL_STORE_STEPS = proxyLocalActivities<BridgeActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});
