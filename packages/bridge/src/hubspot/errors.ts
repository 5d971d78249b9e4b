import type { HubSpotErrorBody } from './types.js';

/** What both node-fetch (inside @hubspot/api-client) and the global fetch answer with. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

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

/** Reads a non-2xx answer into a HubSpotApiError: HubSpot's error body when it is JSON, and `Retry-After`. */
export async function toHubSpotError(res: HttpAnswer): Promise<HubSpotApiError> {
  const text = await res.text();
  let body: Partial<HubSpotErrorBody> | undefined;
  try {
    body = JSON.parse(text) as Partial<HubSpotErrorBody>;
  } catch {
    body = { message: text.slice(0, 200) };
  }
  return new HubSpotApiError(res.status, body, retryAfterSeconds(res.headers.get('retry-after')));
}

/** `Retry-After` is delay-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent, unreadable or past. */
export function retryAfterSeconds(value: string | null, nowMs = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : (Date.parse(value) - nowMs) / 1000;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}
