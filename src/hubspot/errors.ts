import type { HubSpotErrorBody } from './types.js';

/** Thrown when HubSpot answers a non-2xx status. Carries what a retry decision needs. */
export class HubSpotApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<HubSpotErrorBody> | undefined,
    /** Seconds HubSpot asked us to wait (`Retry-After`), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`HubSpot answered ${status}: ${body?.message ?? 'no message'}${body?.category ? ` (${body.category})` : ''}`);
    this.name = 'HubSpotApiError';
  }

  /** 408, 429 and 5xx may succeed later; other 4xx will not. */
  get retryable(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500;
  }
}
