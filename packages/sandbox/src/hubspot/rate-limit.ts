import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { bearerPortalId } from './auth.js';
import type { HubSpotSandboxState } from './state.js';

/**
 * HubSpot's 429 body for the ten-secondly policy
 * (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines); `@hubspot/api-client` keys on
 * `policyName` (its RetryDecorator.ts).
 */
export function rateLimitedBody() {
  return {
    status: 'error',
    message: 'You have reached your ten_secondly_rolling limit.',
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: 'TEN_SECONDLY_ROLLING',
    category: 'RATE_LIMITS',
  };
}

/**
 * A rolling window per app per portal (developer-key calls count against the app itself). Every counted answer
 * carries X-HubSpot-RateLimit-Max / -Remaining / -Interval-Milliseconds; past the limit: 429 with Retry-After.
 * Calls without valid credentials are not counted: they fail auth instead.
 */
export function rateLimit(state: HubSpotSandboxState): RequestHandler {
  return function limitRate(req, res, next) {
    if (
      req.path.startsWith('/_sandbox') ||
      req.path.startsWith('/oauth') ||
      req.path.startsWith('/signed-files') ||
      req.path.startsWith('/hubfs')
    )
      return next();
    const portalId =
      bearerPortalId(state, req) ?? (req.query.hapikey === state.app.developerApiKey ? 'developer' : undefined);
    if (!portalId) return next();
    const { max, intervalMs } = state.options.rateLimit;
    const key = `${state.app.appId}:${portalId}`;
    const now = Date.now();
    const window = (state.rateWindows.get(key) ?? []).filter((t) => t > now - intervalMs);
    state.rateWindows.set(key, window);
    res.set('X-HubSpot-RateLimit-Max', String(max));
    res.set('X-HubSpot-RateLimit-Interval-Milliseconds', String(intervalMs));
    if (window.length >= max) {
      const retryAfterMs = window[0]! + intervalMs - now;
      res.set('X-HubSpot-RateLimit-Remaining', '0');
      res.set('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
      res.status(429).json(rateLimitedBody());
      return;
    }
    window.push(now);
    res.set('X-HubSpot-RateLimit-Remaining', String(max - window.length));
    next();
  };
}
