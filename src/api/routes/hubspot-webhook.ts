import { Router } from 'express';
import { z } from 'zod';
import type { OutboundPolicy, OutboundRequest } from '../../domain/outbound.js';
import { verifyHubSpotSignatureV3 } from '../../hubspot/signature.js';
import type { Logger } from '../../logger.js';
import { isAccountEventType, type HubSpotAccountEvent } from '../account-events.js';
import { describeIssues, workflowIdPart } from '../../providers/parse.js';
import { HttpError } from '../http-error.js';
import { rawBody } from '../middleware/raw-body.js';
import type { StartResult } from '../start-inbound.js';
import { accountIdsOf, eventIdOf, eventTypeOf, hubSpotId } from './hubspot-event-fields.js';

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
  /** Counts an event the bridge could not use (bridge_hubspot_events_dead_lettered_total{type}). */
  readonly countDeadLettered?: (type: string) => void;
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
    // The HubSpot message id the rep replied to (the Message object's `inReplyToId`); an odd value only loses the link.
    inReplyToId: z.union([z.string().max(256), z.number()]).nullish().catch(undefined),
    text: z.string().nullish(),
    richText: z.string().nullish(),
    recipients: z.array(z.object({ deliveryIdentifier: z.object({ type: z.string(), value: z.string() }).optional() })).default([]),
    attachments: z
      .array(z.object({ type: z.string(), fileId: id.optional(), id: id.optional(), name: z.string().optional(), fileUsageType: z.string().optional() }))
      .default([]),
  }),
});

const OUTGOING = 'OUTGOING_CHANNEL_MESSAGE_CREATED';
/** Metric labels stay bounded: a type HubSpot sends, or 'unusable'. */
const KNOWN_TYPES: ReadonlySet<string> = new Set([OUTGOING, 'CHANNEL_ACCOUNT_CREATED', 'CHANNEL_ACCOUNT_UPDATED', 'CHANNEL_ACCOUNT_PURGED']);

interface DeadLetter {
  readonly type: string;
  readonly eventId?: string;
  readonly reason: string;
}

/** Names only, never values: the log line must not carry a customer's message. */
const fieldNames = (event: unknown) => (event !== null && typeof event === 'object' ? Object.keys(event).slice(0, 20) : typeof event);

/**
 * The outgoing event with its type under `type` and its portal and account ids filled in from wherever this form
 * carries them (top level, nested, `objectId`; string or number) when `portalId` or `message.channelAccountId` is missing.
 */
function withOutgoingIds(event: Record<string, unknown>): Record<string, unknown> {
  const message = event.message !== null && typeof event.message === 'object' ? (event.message as Record<string, unknown>) : undefined;
  const ids = accountIdsOf(event);
  if (!message) return { ...event, type: OUTGOING };
  return {
    ...event,
    type: OUTGOING,
    portalId: event.portalId ?? ids?.portalId,
    message: { ...message, channelAccountId: hubSpotId(message.channelAccountId) ?? message.channelAccountId ?? ids?.accountId },
  };
}

function toOutboundRequest(event: z.infer<typeof outgoingSchema>, policy: OutboundPolicy, now: number): OutboundRequest {
  const { message } = event;
  return {
    hubspotMessageId: message.id,
    portalId: event.portalId,
    channelId: message.channelId ?? event.channelId ?? '',
    channelAccountId: message.channelAccountId,
    integrationThreadId: event.channelIntegrationThreadIds?.[0],
    ...(message.inReplyToId !== undefined && message.inReplyToId !== null && String(message.inReplyToId) !== '' ? { inReplyToHubSpotMessageId: String(message.inReplyToId) } : {}),
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
 * `POST /webhooks/hubspot`: the channel's webhookUrl. Signature v3 on the raw bytes first (bad or stale: 401), then
 * parsing; each OUTGOING_CHANNEL_MESSAGE_CREATED starts `outbound:{messageId}`, account events go to their handler,
 * events the bridge cannot use are dead-lettered, other types are acknowledged and logged. 2xx only once every start
 * is durable; a redelivery is answered like the first delivery, with its starts reported as duplicates.
 */
export function hubSpotWebhookRouter(deps: HubSpotWebhookDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;

  router.post('/webhooks/hubspot', rawBody(deps.maxBodyBytes), async function hubSpotWebhook(req, res) {
    if (!deps.clientSecret) throw new HttpError(503, 'HubSpot webhooks are not configured (HUBSPOT_CLIENT_SECRET is unset)');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.header('x-hubspot-signature-v3');
    const checked = verifyHubSpotSignatureV3(deps.clientSecret, { method: 'POST', url: deps.webhookUrl, rawBody: body, signature, timestamp: req.header('x-hubspot-request-timestamp') }, now());
    // A byte-identical redelivery inside the 5-minute window is let through on purpose: HubSpot may resend the same
    // bytes after a 503, and deterministic workflow ids make a second start a duplicate, never a second piece of work.
    if (!checked.ok) throw new HttpError(401, `signature rejected: ${checked.reason}`);

    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'body is not JSON');
    }
    const events: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
    if (events.length === 0) deps.logger.info('HubSpot webhook with an empty list of events; acknowledged');
    const accepted: { workflowId: string; duplicate: boolean }[] = [];
    const deadLettered: DeadLetter[] = [];
    // An unusable event will not parse on a retry either: it is dead-lettered (logged and counted) and the rest go on.
    const deadLetter = (event: unknown, type: string | undefined, reason: string) => {
      const letter = { type: type && KNOWN_TYPES.has(type) ? type : 'unusable', eventId: eventIdOf(event), reason };
      deps.logger.warn({ ...letter, receivedType: type?.slice(0, 100), fields: fieldNames(event) }, 'HubSpot event dead-lettered: the bridge cannot use it');
      deps.countDeadLettered?.(letter.type);
      deadLettered.push(letter);
    };
    for (const event of events) {
      const type = eventTypeOf(event);
      if (type === OUTGOING) {
        const outgoing = outgoingSchema.safeParse(withOutgoingIds(event as Record<string, unknown>));
        if (!outgoing.success) {
          deadLetter(event, type, describeIssues(outgoing.error));
          continue;
        }
        const result = await deps.startOutbound(toOutboundRequest(outgoing.data, deps.policy, now()));
        deps.logger.info({ workflowId: result.workflowId, duplicate: !result.started }, 'outbound message accepted');
        accepted.push({ workflowId: result.workflowId, duplicate: !result.started });
      } else if (isAccountEventType(type)) {
        const ids = accountIdsOf(event);
        if (!ids) {
          deadLetter(event, type, 'no numeric portalId and channel account id (channelAccountId, objectId or nested)');
          continue;
        }
        await deps.onAccountEvent({ type, eventId: eventIdOf(event), ...ids });
      } else if (type === undefined) {
        deadLetter(event, undefined, 'no event type (type, eventType or subscriptionType)');
      } else {
        deps.logger.info({ type: type.slice(0, 100), eventId: eventIdOf(event) }, 'HubSpot webhook of a type the bridge does not handle; acknowledged');
      }
    }
    res.status(200).json({ ok: true, accepted, ...(deadLettered.length ? { deadLettered } : {}) });
  });
  return router;
}
