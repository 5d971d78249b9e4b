import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { OutboundErrorType } from '../domain/outbound-status.js';

/** The reason a rep reads when delivery stopped: the provider's own words, or the policy window. */
export function failureReason(error: unknown, windowMs: number): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type === OutboundErrorType.DeliveryWindowExpired) {
    return `not delivered within ${Math.round(windowMs / 3_600_000)} h: ${cause.message}`;
  }
  if (cause instanceof ApplicationFailure || cause instanceof TimeoutFailure) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
