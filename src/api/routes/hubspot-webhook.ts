import { Router } from 'express';
import { z } from 'zod';
import type { OutboundPolicy, OutboundRequest } from '../../domain/outbound.js';
import { SIGNATURE_MAX_AGE_MS, verifyHubSpotSignatureV3 } from '../../hubspot/signature.js';
import type { Logger } from '../../logger.js';
import { ACCOUNT_EVENT_TYPES, type HubSpotAccountEvent } from '../account-events.js';
import { describeIssues, workflowIdPart } from '../../providers/parse.js';
import { HttpError } from '../http-error.js';
import { rawBody } from '../middleware/raw-body.js';
import type { StartResult } from '../start-inbound.js';

export interface HubSpotWebhookDeps {
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** The URL HubSpot calls (config.api.publicUrl + '/webhooks/hubspot'): what HubSpot signed. */
  readonly webhookUrl: string;
  /** The app's client secret; without it every webhook is refused with a 503 (misconfiguration, HubSpot retries). */
  readonly clientSecret?: string;
  readonly policy: OutboundPolicy;
  readonly startOutbound: (request: OutboundRequest) => Promise<StartResult>;
  readonly onAccountEvent: (event: HubSpotAccountEvent) => Promise<void>;
  readonly now?: () => number;
}

// HubSpot's ids are numbers or short strings; a message id becomes part of a workflow id.
const id = z.union([workflowIdPart(), z.number()]).transform(String);
const outgoingSchema = z.object({
  type: z.literal('OUTGOING_CHANNEL_MESSAGE_CREATED'),
  portalId: id,
  channelId: id.optional(),
  channelIntegrationThreadIds: z.array(z.string()).optional(),
  message: z.object({
    id,
    channelId: id.optional(),
    channelAccountId: id,
    createdAt: z.string().optional(),
    text: z.string().nullish(),
    richText: z.string().nullish(),
    recipients: z.array(z.object({ deliveryIdentifier: z.object({ type: z.string(), value: z.string() }).optional() })).default([]),
    attachments: z
      .array(z.object({ type: z.string(), fileId: id.optional(), id: id.optional(), name: z.string().optional(), fileUsageType: z.string().optional() }))
      .default([]),
  }),
});

/** Signatures seen in the last five minutes: a byte-identical replay inside the window is refused (HubSpot re-signs every retry). */
class ReplayGuard {
  private readonly seen = new Map<string, number>();
  firstTime(signature: string, now: number): boolean {
    for (const [sig, expires] of this.seen) if (expires < now) this.seen.delete(sig);
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, now + 2 * SIGNATURE_MAX_AGE_MS);
    return true;
  }
}

function toOutboundRequest(event: z.infer<typeof outgoingSchema>, policy: OutboundPolicy, now: number): OutboundRequest {
  const { message } = event;
  return {
    hubspotMessageId: message.id,
    portalId: event.portalId,
    channelId: message.channelId ?? event.channelId ?? '',
    channelAccountId: message.channelAccountId,
    integrationThreadId: event.channelIntegrationThreadIds?.[0],
    recipients: message.recipients.flatMap((r) => (r.deliveryIdentifier ? [r.deliveryIdentifier] : [])),
    text: message.text ?? undefined,
    richText: message.richText ?? undefined,
    attachments: message.attachments
      .filter((a) => a.type === 'FILE' && (a.fileId ?? a.id))
      .map((a) => ({ fileId: (a.fileId ?? a.id)!, name: a.name, usageType: a.fileUsageType })),
    createdAt: message.createdAt ?? new Date(now).toISOString(),
    policy,
  };
}

/**
 * `POST /webhooks/hubspot`: the channel's webhookUrl. Signature v3 on the raw bytes first, then
 * parsing; each OUTGOING_CHANNEL_MESSAGE_CREATED starts `outbound:{messageId}`, account events go
 * to their handler, anything else is acknowledged and logged. 2xx only once every start is durable.
 */
export function hubSpotWebhookRouter(deps: HubSpotWebhookDeps): Router {
  const router = Router();
  const replays = new ReplayGuard();
  const now = deps.now ?? Date.now;

  router.post('/webhooks/hubspot', rawBody(deps.maxBodyBytes), async function hubSpotWebhook(req, res) {
    if (!deps.clientSecret) throw new HttpError(503, 'HubSpot webhooks are not configured (HUBSPOT_CLIENT_SECRET is unset)');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.header('x-hubspot-signature-v3');
    const checked = verifyHubSpotSignatureV3(deps.clientSecret, { method: 'POST', url: deps.webhookUrl, rawBody: body, signature, timestamp: req.header('x-hubspot-request-timestamp') }, now());
    if (!checked.ok) throw new HttpError(401, `signature rejected: ${checked.reason}`);
    if (!replays.firstTime(signature!, now())) throw new HttpError(401, 'signature rejected: this exact request was already received (replay)');

    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'body is not JSON');
    }
    const events = (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, unknown>[];
    if (events.length === 0) deps.logger.info('HubSpot webhook with an empty list of events; acknowledged');
    const accepted: { workflowId: string; duplicate: boolean }[] = [];
    for (const event of events) {
      const type = typeof event?.type === 'string' ? event.type : undefined;
      if (type === 'OUTGOING_CHANNEL_MESSAGE_CREATED') {
        const outgoing = outgoingSchema.safeParse(event);
        if (!outgoing.success) throw new HttpError(400, `OUTGOING_CHANNEL_MESSAGE_CREATED: ${describeIssues(outgoing.error)}`);
        const result = await deps.startOutbound(toOutboundRequest(outgoing.data, deps.policy, now()));
        deps.logger.info({ workflowId: result.workflowId, duplicate: !result.started }, 'outbound message accepted');
        accepted.push({ workflowId: result.workflowId, duplicate: !result.started });
      } else if (type && ACCOUNT_EVENT_TYPES.has(type)) {
        await deps.onAccountEvent(event as HubSpotAccountEvent);
      } else {
        deps.logger.info({ type: type ?? null, eventId: event?.eventId }, 'HubSpot webhook of a type the bridge does not handle; acknowledged');
      }
    }
    res.status(200).json({ ok: true, accepted });
  });
  return router;
}
