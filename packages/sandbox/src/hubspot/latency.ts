import type { RequestHandler } from 'express';
import { isSandboxOwn } from './faults.js';
import type { HubSpotSandboxState } from './state.js';

/**
 * Holds every HubSpot API call `options.latencyMs` before handling it, as the round trip to api.hubapi.com would
 * (benchmarks set it with SANDBOX_HUBSPOT_LATENCY_MS). Before the rate limiter, so a call counts when it "arrives".
 */
export function baseLatency(state: HubSpotSandboxState): RequestHandler {
  return function holdCall(req, _res, next) {
    const ms = state.options.latencyMs;
    if (ms <= 0 || isSandboxOwn(req.path)) return next();
    setTimeout(next, ms);
  };
}
