/**
 * Errors of the inspection functions (`messages show|list|retry`, the admin API). Each carries the HTTP
 * status the admin API answers with; the CLI prints the message and exits non-zero.
 */
export class InspectError extends Error {
  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Thrown when no message workflow matches the id given (HubSpot, provider or workflow id). */
export class MessageNotFound extends InspectError {
  constructor(readonly id: string) {
    super(404, `no message found for "${id}" (tried a workflow id, a HubSpot message id and a provider message id)`);
  }
}

/** Thrown when a provider message id is used by more than one account: the caller must pick a workflow id. */
export class AmbiguousMessageId extends InspectError {
  constructor(
    readonly id: string,
    readonly workflowIds: readonly string[],
  ) {
    super(
      409,
      `"${id}" matches ${workflowIds.length} messages; use one of the workflow ids: ${workflowIds.join(', ')}`,
    );
  }
}

/** Thrown when a list filter cannot become a visibility query. */
export class InvalidFilter extends InspectError {
  constructor(message: string) {
    super(400, message);
  }
}

/** Thrown when a retry is asked for a message that has not failed, or has nothing to re-run. */
export class NotRetryable extends InspectError {
  constructor(message: string) {
    super(409, message);
  }
}

/** Thrown when Temporal cannot be reached (or answers with an internal error). */
export class TemporalUnavailable extends InspectError {
  constructor(cause: unknown) {
    super(503, `Temporal is unreachable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
