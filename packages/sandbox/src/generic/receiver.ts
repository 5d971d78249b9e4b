import express, { Router } from 'express';
import {
  genericEnvelopeSchema,
  genericMessageSchema,
  verifyStandardWebhook,
} from '../../../bridge/src/providers/generic/published-contract.js';
import { sendStatus, type SandboxDeps } from './customer.js';
import { nextSeq, type GenericSandboxState, type ReceivedEvent, type ReceiverFault } from './state.js';

export const CALLBACK_PATH = '/connector/callback';

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first fault, if it fires on this call; a counted fault is used up, a share fault stays. */
function firingFault(state: GenericSandboxState): ReceiverFault | undefined {
  const fault = state.faults[0];
  if (!fault) return undefined;
  if (fault.share !== undefined) {
    fault.seen = (fault.seen ?? 0) + 1;
    return Math.floor(fault.seen * fault.share) > Math.floor((fault.seen - 1) * fault.share) ? fault : undefined;
  }
  fault.times -= 1;
  if (fault.times <= 0) state.faults.shift();
  return fault;
}

/**
 * The connector's callbackUrl: what a third party builds to receive the bridge's replies. It checks
 * the signature on the raw bytes, the event against the contract, dedupes on webhook-id, and answers
 * `{messageId}`. Injected faults (5xx, 429 + Retry-After, 410, latency) come before accepting.
 */
export function receiverRoutes(
  state: GenericSandboxState,
  deps: SandboxDeps & { autoReceipts: readonly ('delivered' | 'read')[] },
): Router {
  const router = Router();
  router.post(
    CALLBACK_PATH,
    express.raw({ type: () => true, limit: '10mb' }),
    async function connectorCallback(req, res) {
      if (state.latencyMs > 0) await sleep(state.latencyMs);
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const webhookId = header(req.headers['webhook-id']);
      const record = (entry: Omit<ReceivedEvent, 'seq' | 'at' | 'webhookId'>) => {
        state.received.push({ seq: nextSeq(state), at: new Date().toISOString(), webhookId, ...entry });
      };

      const verified = verifyStandardWebhook(state.signingSecret, { headers: req.headers, body });
      if (!verified.ok) {
        record({ answered: 401, verified: false, duplicate: false, reason: verified.reason });
        res.status(401).json({ error: `signature rejected: ${verified.reason}` });
        return;
      }
      let event;
      try {
        event = genericEnvelopeSchema.parse(JSON.parse(body.toString('utf8')));
      } catch {
        record({ answered: 400, verified: true, duplicate: false, reason: 'not a generic event envelope' });
        res.status(400).json({ error: 'body is not a generic event envelope {type, timestamp, data}' });
        return;
      }
      if (event.type === 'message.created') {
        const parsed = genericMessageSchema.safeParse(event.data);
        if (!parsed.success) {
          const reason = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
          record({ answered: 400, verified: true, duplicate: false, reason, event });
          res.status(400).json({ error: `data: ${reason}` });
          return;
        }
      }

      const fault = firingFault(state);
      if (fault) {
        record({ answered: fault.status, verified: true, duplicate: false, reason: 'injected fault', event });
        if (fault.retryAfterSeconds !== undefined) res.set('retry-after', String(fault.retryAfterSeconds));
        res.status(fault.status).json({ error: fault.error ?? `injected fault ${fault.status}` });
        return;
      }

      // A retry of something already accepted gets the same answer and no second copy.
      const earlier = state.received.find((r) => r.webhookId === webhookId && r.answered < 300 && !r.duplicate);
      const connectorMessageId = earlier?.connectorMessageId ?? `conn-${state.seq + 1}`;
      record({ answered: 200, verified: true, duplicate: Boolean(earlier), event, connectorMessageId });
      res.status(200).json({ messageId: connectorMessageId });

      if (!earlier && event.type === 'message.created') {
        void (async () => {
          for (const status of deps.autoReceipts)
            await sendStatus(state, deps, { messageId: connectorMessageId, status });
        })();
      }
    },
  );
  return router;
}
