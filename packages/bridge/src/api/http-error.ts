/** Longest reason an answer or a log line carries: reasons quote what was sent, and a body may be 1 MiB. */
export const MAX_REASON_CHARS = 1000;

/** `reason`, cut to MAX_REASON_CHARS (never between the halves of a surrogate pair). */
export function clipReason(reason: string): string {
  if (reason.length <= MAX_REASON_CHARS) return reason;
  const cut = /[\uD800-\uDBFF]/.test(reason[MAX_REASON_CHARS - 2]!) ? MAX_REASON_CHARS - 2 : MAX_REASON_CHARS - 1;
  return `${reason.slice(0, cut)}…`;
}

/**
 * The one HTTP error type; the error handler turns it into `{ error: reason }` with its status, and a `Retry-After`
 * header when `retryAfterSeconds` is set.
 */
export class HttpError extends Error {
  readonly reason: string;
  /** Seconds the sender is asked to wait before it tries again (a 503 that sheds load). */
  readonly retryAfterSeconds?: number;
  constructor(
    readonly status: number,
    reason: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    const clipped = clipReason(reason);
    super(clipped, options?.cause === undefined ? undefined : { cause: options.cause });
    this.reason = clipped;
    this.name = 'HttpError';
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
