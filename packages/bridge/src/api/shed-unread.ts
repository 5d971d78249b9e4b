import type { RequestHandler } from 'express';
import { findModule } from '../providers/registry.js';
import { SHED_RETRY_AFTER_SECONDS } from './admission.js';
import { HttpError } from './http-error.js';

/** How late the event loop runs now (src/api/loop-lag.ts). */
export interface LoopLateness {
  lateMs(): number;
}

/**
 * For `POST /webhooks/:provider/:accountId`, with a bound above 0: sheds a provider's webhook before reading it while
 * this api's event loop runs more than `boundMs` late. Out of CPU, the api cannot afford to verify and parse each
 * webhook of a flood only to refuse most of them (src/api/shed-webhook.ts), and the ones waiting in the kernel
 * meanwhile pass their senders' timeouts. A refusal costs only the routing and the answer here, so the loop catches
 * up at once.
 *
 * Only providers whose senders retry a refused webhook (`ProviderModule.retriesRefusedWebhooks`): unread, the webhook
 * may be a receipt, which the parsed path never sheds. A provider whose sender retries no 503 by default has its
 * webhooks always read, as have HubSpot's (they carry the reps' replies). The refusal names no line, so the catch-up
 * window holds the account's lines (src/api/catch-up.ts, refusalWatcher): the sender's retries land in order.
 */
export function shedUnreadWhileLate(loop: LoopLateness, boundMs: number): RequestHandler {
  return function shedUnreadWhileLate(req, _res, next) {
    if (!findModule(String(req.params.provider))?.retriesRefusedWebhooks) return next();
    const late = loop.lateMs();
    if (late < boundMs) return next();
    next(
      new HttpError(503, `the bridge is overloaded (its event loop runs ${late} ms late); retry later`, {
        retryAfterSeconds: SHED_RETRY_AFTER_SECONDS,
      }),
    );
  };
}
