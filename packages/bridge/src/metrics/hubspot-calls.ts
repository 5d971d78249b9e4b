import { Counter, type Registry } from 'prom-client';
import { HubSpotApiError } from '../hubspot/errors.js';
import type { PortalLimiter } from '../hubspot/portal-limit.js';

/** `bridge_hubspot_requests_total{portal,status}`: every request to HubSpot's API, by portal and answer. */
export function createHubSpotRequestsCounter(registry: Registry) {
  return new Counter({
    name: 'bridge_hubspot_requests_total',
    help: 'Requests to HubSpot\'s API by portal and status: "2xx", the HTTP status of a refusal ("429"…), or "error" when no answer came',
    labelNames: ['portal', 'status'] as const,
    registers: [registry],
  });
}

export type HubSpotRequestsCounter = ReturnType<typeof createHubSpotRequestsCounter>;

/** The status label of a finished call: what HubSpot answered, or `error` (timeout, refused connection). */
function statusOf(error: unknown): string {
  return error instanceof HubSpotApiError ? String(error.status) : 'error';
}

/**
 * A portal limiter that also counts each request it lets through. Wraps the limiter every HubSpot client of the
 * worker goes through (src/activities/index.ts, withPortalLimits), so every request is counted once, with its portal.
 */
export function countingLimiter(limit: PortalLimiter, requests: HubSpotRequestsCounter): PortalLimiter {
  return (portalId, call) =>
    limit(portalId, async () => {
      try {
        const result = await call();
        requests.inc({ portal: portalId, status: '2xx' });
        return result;
      } catch (error) {
        requests.inc({ portal: portalId, status: statusOf(error) });
        throw error;
      }
    });
}
