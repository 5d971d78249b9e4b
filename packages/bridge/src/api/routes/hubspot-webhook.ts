import { Router } from 'express';
import { outboundWorkflowId } from '../../domain/ids.js';
import type { OutboundPolicy, OutboundRequest } from '../../domain/outbound.js';
import { verifyHubSpotSignatureV3 } from '../../hubspot/signature.js';
import { aboutMessage, type Logger } from '../../logger.js';
import type { HubSpotAccountEvent } from '../account-events.js';
import {
  DEFAULT_DEAD_LETTER_RETENTION,
  deadLetterId,
  pruneDeadLetters,
  type DeadLetterRetention,
  type DeadLetterStore,
} from '../dead-letters.js';
import { hubSpotEventHandler, replyLineOf, type UnusableEvent } from '../hubspot-events.js';
import { HttpError } from '../http-error.js';
import { rawBody } from '../middleware/raw-body.js';
import type { AdmitWebhook } from '../shed-webhook.js';
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
  /** Counts an event the bridge could not use (bridge_hubspot_events_dead_lettered_total{type}). */
  readonly countDeadLettered?: (type: string) => void;
  /**
   * Keeps each unusable event's body for a replay (docs/OPERATING.md § Dead letters); without it the body is dropped.
   */
  readonly deadLetters?: DeadLetterStore;
  /** @default DEFAULT_DEAD_LETTER_RETENTION */
  readonly deadLetterRetention?: DeadLetterRetention;
  readonly now?: () => number;
  /** Admission control (src/api/shed-webhook.ts): a parsed webhook is let in or shed; without it, all go in. */
  readonly admit?: AdmitWebhook;
}

/** One dead-lettered event in the answer: `id` names the kept letter (GET /admin/dead-letters/{id}). */
type AnsweredDeadLetter = Pick<UnusableEvent, 'type' | 'eventId' | 'reason'> & { readonly id?: string };

/** Names only, never values: the log line must not carry a customer's message. */
const fieldNames = (event: unknown) =>
  event !== null && typeof event === 'object' ? Object.keys(event).slice(0, 20) : typeof event;

/**
 * The event as JSON text, or undefined when it nests deeper than JSON.stringify's recursion reaches (JSON.parse took
 * it:
 * it does not recurse). Such an event is still dead-lettered, only not kept.
 */
function asJson(event: unknown): string | undefined {
  try {
    return JSON.stringify(event);
  } catch {
    return undefined;
  }
}

/**
 * `POST /webhooks/hubspot`: the channel's webhookUrl. Signature v3 on the raw bytes first (bad or stale: 401), then
 * parsing; each event goes through hubSpotEventHandler (src/api/hubspot-events.ts). Events the bridge cannot use are
 * dead-lettered: kept with their body in the store, logged by field names and counted. 2xx only once every start and
 * every kept letter is durable; a redelivery is answered like the first delivery, with its starts reported as
 * duplicates and its letters kept once.
 */
export function hubSpotWebhookRouter(deps: HubSpotWebhookDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  // Lines about an outgoing message, its refusal included (the error handler's), carry its key.
  const handle = hubSpotEventHandler({
    ...deps,
    startOutbound: (request) => {
      aboutMessage(outboundWorkflowId(request.hubspotMessageId));
      return deps.startOutbound(request);
    },
  });
  const retention = deps.deadLetterRetention ?? DEFAULT_DEAD_LETTER_RETENTION;

  /** Keeps the event's body for a replay; returns the letter's id, or undefined for an event JSON cannot write back. */
  const keep = async (store: DeadLetterStore, event: unknown, unusable: UnusableEvent): Promise<string | undefined> => {
    const body = asJson(event);
    if (body === undefined) return undefined;
    const id = deadLetterId('hubspot', body);
    await store.saveDeadLetter({ id, source: 'hubspot', ...unusable, body, receivedAt: new Date(now()).toISOString() });
    return id;
  };
  /** Keeps, logs and counts one unusable event; its body goes to the store only, never to the log. */
  const deadLetter = async (event: unknown, unusable: UnusableEvent): Promise<AnsweredDeadLetter> => {
    const { receivedType, ...letter } = unusable;
    const id = deps.deadLetters ? await keep(deps.deadLetters, event, unusable) : undefined;
    deps.logger.warn(
      { ...letter, deadLetterId: id, kept: id !== undefined, receivedType, fields: fieldNames(event) },
      'HubSpot event dead-lettered: the bridge cannot use it',
    );
    deps.countDeadLettered?.(letter.type);
    return id ? { ...letter, id } : letter;
  };

  /** Each event in order; the answer once every start and every kept letter is durable. */
  const handleAll = async (events: readonly unknown[]) => {
    const accepted: { workflowId: string; duplicate: boolean }[] = [];
    const deadLettered: AnsweredDeadLetter[] = [];
    for (const event of events) {
      aboutMessage(undefined);
      const outcome = await handle(event);
      if (outcome.kind === 'accepted') accepted.push({ workflowId: outcome.workflowId, duplicate: outcome.duplicate });
      // An unusable event will not parse on a retry either: it is dead-lettered and the rest go on.
      if (outcome.kind === 'unusable') deadLettered.push(await deadLetter(event, outcome.unusable));
    }
    aboutMessage(undefined);
    if (deadLettered.length && deps.deadLetters) await pruneDeadLetters(deps.deadLetters, retention, now());
    return { ok: true, accepted, ...(deadLettered.length ? { deadLettered } : {}) };
  };

  router.post('/webhooks/hubspot', rawBody(deps.maxBodyBytes), async function hubSpotWebhook(req, res) {
    if (!deps.clientSecret)
      throw new HttpError(503, 'HubSpot webhooks are not configured (HUBSPOT_CLIENT_SECRET is unset)');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.header('x-hubspot-signature-v3');
    const checked = verifyHubSpotSignatureV3(
      deps.clientSecret,
      {
        method: 'POST',
        url: deps.webhookUrl,
        rawBody: body,
        signature,
        timestamp: req.header('x-hubspot-request-timestamp'),
      },
      now(),
    );
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
    const lines = () => [...new Set(events.map(replyLineOf).filter((key) => key !== undefined))];
    const done = (await deps.admit?.(lines)) ?? (() => undefined);
    try {
      res.status(200).json(await handleAll(events));
    } finally {
      done();
    }
  });
  return router;
}
