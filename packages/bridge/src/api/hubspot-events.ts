import { z } from 'zod';
import { DEFAULT_OUTBOUND_POLICY, type OutboundPolicy, type OutboundRequest } from '../domain/outbound.js';
import { replyLineKey } from '../domain/outbound-chat.js';
import type { Logger } from '../logger.js';
import { describeIssues, workflowIdPart } from '../providers/parse.js';
import { isAccountEventType, type HubSpotAccountEvent } from './account-events.js';
import { accountIdsOf, eventIdOf, eventTypeOf, hubSpotId } from './routes/hubspot-event-fields.js';
import type { StartResult } from './start-inbound.js';

export interface HubSpotEventDeps {
  readonly logger: Logger;
  readonly policy: OutboundPolicy;
  readonly startOutbound: (request: OutboundRequest) => Promise<StartResult>;
  readonly onAccountEvent: (event: HubSpotAccountEvent) => Promise<void>;
  readonly now?: () => number;
}

/** Why an event could not be used, with what names it. */
export interface UnusableEvent {
  /** A type the bridge knows, or 'unusable': a bounded metric label. */
  readonly type: string;
  /** The type the event named, cut to 100 characters. */
  readonly receivedType?: string;
  readonly eventId?: string;
  readonly reason: string;
}

/** What became of one event. */
export type HubSpotEventOutcome =
  | { readonly kind: 'accepted'; readonly workflowId: string; readonly duplicate: boolean }
  | { readonly kind: 'account-event'; readonly type: string }
  | { readonly kind: 'ignored'; readonly type: string }
  | { readonly kind: 'unusable'; readonly unusable: UnusableEvent };

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
    inReplyToId: z
      .union([z.string().max(256), z.number()])
      .nullish()
      .catch(undefined),
    text: z.string().nullish(),
    richText: z.string().nullish(),
    recipients: z
      .array(z.object({ deliveryIdentifier: z.object({ type: z.string(), value: z.string() }).optional() }))
      .default([]),
    attachments: z
      .array(
        z.object({
          type: z.string(),
          fileId: id.optional(),
          id: id.optional(),
          name: z.string().optional(),
          fileUsageType: z.string().optional(),
        }),
      )
      .default([]),
  }),
});

const OUTGOING = 'OUTGOING_CHANNEL_MESSAGE_CREATED';
/** Metric labels stay bounded: a type HubSpot sends, or 'unusable'. */
const KNOWN_TYPES: ReadonlySet<string> = new Set([
  OUTGOING,
  'CHANNEL_ACCOUNT_CREATED',
  'CHANNEL_ACCOUNT_UPDATED',
  'CHANNEL_ACCOUNT_PURGED',
]);

/**
 * The outgoing event with its type under `type` and its portal and account ids filled in from wherever this form
 * carries them (top level, nested, `objectId`; string or number) when `portalId` or `message.channelAccountId` is
 * missing.
 */
function withOutgoingIds(event: Record<string, unknown>): Record<string, unknown> {
  const message =
    event.message !== null && typeof event.message === 'object'
      ? (event.message as Record<string, unknown>)
      : undefined;
  const ids = accountIdsOf(event);
  if (!message) return { ...event, type: OUTGOING };
  return {
    ...event,
    type: OUTGOING,
    portalId: event.portalId ?? ids?.portalId,
    message: {
      ...message,
      channelAccountId: hubSpotId(message.channelAccountId) ?? message.channelAccountId ?? ids?.accountId,
    },
  };
}

function toOutboundRequest(
  event: z.infer<typeof outgoingSchema>,
  policy: OutboundPolicy,
  now: number,
): OutboundRequest {
  const { message } = event;
  return {
    hubspotMessageId: message.id,
    portalId: event.portalId,
    channelId: message.channelId ?? event.channelId ?? '',
    channelAccountId: message.channelAccountId,
    integrationThreadId: event.channelIntegrationThreadIds?.[0],
    ...(message.inReplyToId !== undefined && message.inReplyToId !== null && String(message.inReplyToId) !== ''
      ? { inReplyToHubSpotMessageId: String(message.inReplyToId) }
      : {}),
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
 * The reply line an outgoing-message event would join (docs/ORDERING.md), as its start would take it; undefined for
 * any other event and for one the handler would dead-letter.
 */
export function replyLineOf(event: unknown): string | undefined {
  if (eventTypeOf(event) !== OUTGOING) return undefined;
  const outgoing = outgoingSchema.safeParse(withOutgoingIds(event as Record<string, unknown>));
  return outgoing.success ? replyLineKey(toOutboundRequest(outgoing.data, DEFAULT_OUTBOUND_POLICY, 0)) : undefined;
}

/**
 * Handles one parsed, verified HubSpot webhook event: each OUTGOING_CHANNEL_MESSAGE_CREATED starts
 * `outbound:{messageId}`, account events go to their handler, other types are acknowledged and logged, and an event the
 * bridge cannot use comes back as `unusable` with its reason (the caller dead-letters it). Used by the webhook and by a
 * dead letter's replay, so both treat an event alike. Throws what a start throws (HttpError(503) when Temporal cannot
 * take it).
 */
export function hubSpotEventHandler(deps: HubSpotEventDeps): (event: unknown) => Promise<HubSpotEventOutcome> {
  const now = deps.now ?? Date.now;
  const unusable = (event: unknown, type: string | undefined, reason: string): HubSpotEventOutcome => ({
    kind: 'unusable',
    unusable: {
      type: type && KNOWN_TYPES.has(type) ? type : 'unusable',
      receivedType: type?.slice(0, 100),
      eventId: eventIdOf(event),
      reason,
    },
  });
  return async function handleHubSpotEvent(event) {
    const type = eventTypeOf(event);
    if (type === OUTGOING) {
      const outgoing = outgoingSchema.safeParse(withOutgoingIds(event as Record<string, unknown>));
      if (!outgoing.success) return unusable(event, type, describeIssues(outgoing.error));
      const result = await deps.startOutbound(toOutboundRequest(outgoing.data, deps.policy, now()));
      deps.logger.info({ workflowId: result.workflowId, duplicate: !result.started }, 'outbound message accepted');
      return { kind: 'accepted', workflowId: result.workflowId, duplicate: !result.started };
    }
    if (isAccountEventType(type)) {
      const ids = accountIdsOf(event);
      if (!ids)
        return unusable(
          event,
          type,
          'no numeric portalId and channel account id (channelAccountId, objectId or nested)',
        );
      await deps.onAccountEvent({ type, eventId: eventIdOf(event), ...ids });
      return { kind: 'account-event', type };
    }
    if (type === undefined) return unusable(event, undefined, 'no event type (type, eventType or subscriptionType)');
    deps.logger.info(
      { type: type.slice(0, 100), eventId: eventIdOf(event) },
      'HubSpot webhook of a type the bridge does not handle; acknowledged',
    );
    return { kind: 'ignored', type: type.slice(0, 100) };
  };
}
