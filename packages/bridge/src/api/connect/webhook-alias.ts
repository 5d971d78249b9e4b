import type { RequestHandler } from 'express';
import type { Store } from '../../store/types.js';
import { markDeliberateRefusal } from '../catch-up.js';
import { HttpError } from '../http-error.js';

export const CONNECTION_ID_PREFIX = 'conn_';

/**
 * Provider webhooks are set up at connection time, before HubSpot has created (and numbered) the channel account, so
 * they point at `/webhooks/{provider}/conn_…`. Once CHANNEL_ACCOUNT_CREATED linked the connection, this rewrites the
 * path to `/webhooks/{provider}/{accountId}` for the provider webhook route. Until then the answer is 503, which
 * providers retry, so nothing sent early is lost ([INFERRED] for providers whose retry policy is undocumented).
 */
export function connectionWebhookAlias(store: Store): RequestHandler {
  return async function connectionWebhookAlias(req, res, next) {
    const match = /^\/webhooks\/([a-z]+)\/(conn_[A-Za-z0-9_-]+)$/.exec(req.path);
    if (!match) return next();
    const [, provider, connectionId] = match as unknown as [string, string, string];
    const connection = await store.getConnection(connectionId);
    if (!connection || connection.provider !== provider || connection.status === 'removed') {
      throw new HttpError(404, `no ${provider} connection ${connectionId}`);
    }
    if (!connection.accountId) {
      res.setHeader('retry-after', '5');
      // Only this connection waits: the catch-up window, which holds every account, is for outages.
      markDeliberateRefusal(res, 'connection pending');
      throw new HttpError(503, 'this connection is waiting for HubSpot to create its channel account; retry shortly');
    }
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    req.url = `/webhooks/${provider}/${connection.accountId}${query}`;
    next();
  };
}
