import { validationError } from './errors.js';
import {
  SandboxEvent,
  type HubSpotSandboxState,
  type SandboxChannel,
  type SandboxChannelAccount,
  type SandboxDeliveryIdentifier,
  type SandboxMessage,
  type SandboxParticipant,
} from './state.js';
import { contactIdFor, resolveThread } from './threading.js';

/** A participant as the integration sends it (`ChannelIntegrationParticipant`). */
export interface ParticipantEgg {
  readonly deliveryIdentifier: SandboxDeliveryIdentifier;
  readonly name?: string;
  readonly senderActorId?: string;
}

/** A validated `ChannelIntegrationMessageEgg`. */
export interface MessageEgg {
  readonly text: string;
  readonly richText?: string;
  readonly messageDirection: 'INCOMING' | 'OUTGOING';
  readonly senders: readonly ParticipantEgg[];
  readonly recipients: readonly ParticipantEgg[];
  readonly timestamp: string;
  readonly integrationThreadId?: string;
  readonly integrationIdempotencyId?: string;
  readonly inReplyToId?: string;
  readonly attachments: readonly Record<string, unknown>[];
}

export interface Published {
  readonly message: SandboxMessage;
  /** False when the idempotency id matched an earlier message, which is returned instead. */
  readonly created: boolean;
}

/**
 * `POST …/messages` once the caller is authenticated and the body valid: refuses a turned-off account and unknown
 * files, returns the earlier message for a repeated `integrationIdempotencyId`, else threads and stores the message.
 */
export function publishMessage(
  state: HubSpotSandboxState,
  channel: SandboxChannel,
  account: SandboxChannelAccount,
  egg: MessageEgg,
): Published {
  if (!account.authorized) {
    throw validationError(
      `Channel account ${account.id} is not authorized to publish messages`,
      undefined,
      'CustomChannelsError.CHANNEL_ACCOUNT_NOT_AUTHORIZED',
    );
  }
  for (const attachment of egg.attachments.filter((a) => a.type === 'FILE')) {
    const file = state.files.get(String(attachment.fileId));
    if (!file || file.portalId !== account.portalId) {
      throw validationError(`File ${String(attachment.fileId)} does not exist in portal ${account.portalId}`, [
        { message: 'unknown fileId', in: 'attachments' },
      ]);
    }
  }
  if (egg.messageDirection === 'OUTGOING' && egg.recipients.length === 0) {
    // Every thread has a customer (its associated contact); an OUTGOING message names them as its recipient (inferred).
    throw validationError('An OUTGOING message needs at least one recipient', [
      { message: 'recipients is empty', in: 'recipients' },
    ]);
  }
  const idempotencyKey =
    egg.integrationIdempotencyId && `${account.portalId}:${channel.id}:${egg.integrationIdempotencyId}`;
  const existing = idempotencyKey ? state.idempotency.get(idempotencyKey) : undefined;
  if (existing) return { message: state.messages.get(existing)!, created: false };

  const incoming = egg.messageDirection === 'INCOMING';
  const thread = resolveThread(state, {
    channel,
    account,
    integrationThreadId: egg.integrationThreadId,
    customer: incoming ? egg.senders : egg.recipients,
  });
  // Actor ids: V-{contactId} for a customer, I-{appId} for the integration itself, unless senderActorId names one.
  const integrationActor = `I-${state.app.appId}`;
  const visitorActor = (p: ParticipantEgg) => `V-${contactIdFor(state, account.portalId, p.deliveryIdentifier)}`;
  const participant = ({ senderActorId, ...p }: ParticipantEgg, actorId?: string): SandboxParticipant => {
    const actor = senderActorId ?? actorId;
    return actor ? { ...p, actorId: actor } : { ...p };
  };
  const now = new Date().toISOString();
  const message: SandboxMessage = {
    id: state.nextId(),
    portalId: account.portalId,
    channelId: channel.id,
    channelAccountId: account.id,
    conversationsThreadId: thread.id,
    direction: egg.messageDirection,
    text: egg.text,
    richText: egg.richText,
    senders: egg.senders.map((p) => participant(p, incoming ? visitorActor(p) : integrationActor)),
    recipients: egg.recipients.map((p) => participant(p, incoming ? undefined : visitorActor(p))),
    attachments: [...egg.attachments],
    integrationIdempotencyId: egg.integrationIdempotencyId,
    inReplyToId: egg.inReplyToId,
    timestamp: egg.timestamp,
    createdAt: now,
    createdBy: incoming ? visitorActor(egg.senders[0]!) : integrationActor,
    status: { statusType: incoming ? 'RECEIVED' : 'SENT' },
  };
  state.messages.set(message.id, message);
  thread.latestMessageTimestamp = now;
  if (idempotencyKey) state.idempotency.set(idempotencyKey, message.id);
  state.events.emit(SandboxEvent.messageCreated, { id: message.id });
  return { message, created: true };
}
