import { Router, type Request } from 'express';
import { asAccountId } from '../../domain/ids.js';
import type { Logger } from '../../logger.js';
import { createGenericAdapter } from '../../providers/generic/index.js';
import { InvalidPayloadError, type RawWebhook } from '../../providers/types.js';
import type { Store } from '../../store/types.js';
import { HttpError } from '../http-error.js';
import { rawBody } from '../middleware/raw-body.js';
import type { startInboundWorkflow } from '../start-inbound.js';

export interface GenericRouteDeps {
  readonly store: Store;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly startInbound: (message: Parameters<typeof startInboundWorkflow>[2]) => ReturnType<typeof startInboundWorkflow>;
}

function toRawWebhook(req: Request): RawWebhook {
  return { headers: req.headers, body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0) };
}

/**
 * `POST /webhooks/generic/:accountId`: cheapest checks first (content type, account), then the
 * signature on the raw bytes, then parsing, then a durable workflow start, then the answer.
 */
export function genericWebhookRouter(deps: GenericRouteDeps): Router {
  const router = Router();
  router.post('/webhooks/generic/:accountId', rawBody(deps.maxBodyBytes), async function genericWebhook(req, res) {
    if (!req.is('application/json')) throw new HttpError(415, 'content-type must be application/json');
    const accountId = String(req.params.accountId);
    const account = await deps.store.getAccount(accountId);
    if (!account || account.provider !== 'generic') {
      throw new HttpError(404, `no generic account ${accountId} is connected`);
    }
    const signingSecret = account.credentials.signingSecret;
    if (!signingSecret) throw new HttpError(500, 'the account has no signing secret');
    const adapter = createGenericAdapter({ accountId: asAccountId(account.accountId), signingSecret });
    const webhook = toRawWebhook(req);
    const verified = adapter.verify(webhook);
    if (!verified.ok) throw new HttpError(401, `signature rejected: ${verified.reason}`);

    let events;
    try {
      events = adapter.normalise(webhook);
    } catch (error) {
      if (error instanceof InvalidPayloadError) throw new HttpError(400, error.reason);
      throw error;
    }

    const results = [];
    for (const event of events) {
      if (event.kind === 'message') {
        const result = await deps.startInbound(event.message);
        deps.logger.info({ messageKey: result.workflowId, duplicate: !result.started }, 'inbound message accepted');
        results.push({ workflowId: result.workflowId, duplicate: !result.started });
      } else if (event.kind === 'receipt') {
        deps.logger.warn({ accountId: account.accountId, providerMessageId: event.providerMessageId }, 'receipt acknowledged; outbound receipts are not routed yet');
      } else {
        deps.logger.info({ accountId: account.accountId, reason: event.reason }, 'webhook acknowledged and ignored');
      }
    }
    res.status(200).json({ ok: true, accepted: results });
  });
  return router;
}
