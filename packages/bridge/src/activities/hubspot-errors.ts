import { ApplicationFailure } from '@temporalio/activity';
import { ErrorType } from '../domain/errors.js';
import { HubSpotApiError } from '../hubspot/errors.js';

/**
 * Turns a failed HubSpot call into a Temporal failure whose retryability is data:
 * 429 waits for `Retry-After`, 5xx and network errors retry with backoff, other 4xx stop with HubSpot's reason.
 */
export function toActivityFailure(error: unknown): Error {
  if (error instanceof HubSpotApiError) {
    if (error.status === 429) {
      return ApplicationFailure.create({
        message: error.message,
        type: ErrorType.RateLimited,
        nextRetryDelay: error.retryAfterSeconds ? `${error.retryAfterSeconds}s` : undefined,
      });
    }
    if (error.retryable) return ApplicationFailure.retryable(error.message, ErrorType.Transient);
    return ApplicationFailure.nonRetryable(error.message, ErrorType.HubSpotRejected, {
      status: error.status,
      category: error.body?.category,
      subCategory: error.body?.subCategory,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}
