/** The one HTTP error type; the error handler turns it into `{ error: reason }` with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'HttpError';
  }
}
