/**
 * `ApplicationFailure` type names. Retryability is data: activities throw these types with
 * `nonRetryable` set where retrying cannot help, and workflows read them to decide status.
 */
export const ErrorType = {
  /** HubSpot refused the request for a reason retrying cannot fix (400, 403, 404). */
  HubSpotRejected: 'HubSpotRejected',
  /** HubSpot or a provider asked us to slow down; `nextRetryDelay` carries its wish. */
  RateLimited: 'RateLimited',
  /** A transient HTTP failure (5xx, timeout, reset). */
  Transient: 'Transient',
  /** The account is unknown to the store, or was removed. */
  AccountNotFound: 'AccountNotFound',
} as const;
export type ErrorTypeName = (typeof ErrorType)[keyof typeof ErrorType];
