import { whenReachable } from '../when-reachable.js';
import type { HubSpotSandboxState, SandboxChannel, WebhookDelivery } from './state.js';
import { outgoingMessageEvent, sendWebhook } from './webhooks.js';

type SentEvent = { type: string; eventId: string; channelId?: string; message?: { id?: string } };

/**
 * After a restored world is loaded: HubSpot's webhook deliveries are durable on its side, so a restart of the
 * sandbox must not lose one. Two kinds are re-driven, each once the channel's webhook URL accepts connections:
 * - an event no attempt delivered and whose retries had not run out: sent again, byte for byte (same eventId), with
 *   a fresh retry budget, as HubSpot keeps retrying across its own restarts (inferred);
 * - a rep's reply with no attempt at all (its first POST was under way when the sandbox stopped): announced with a
 *   new OUTGOING_CHANNEL_MESSAGE_CREATED. The first event's id was never saved, so it cannot be the same one; the
 *   integration dedupes on the message id, which is (inferred from HubSpot's at-least-once delivery).
 * Returns how many events will be sent.
 */
export function resumeHubSpotWebhooks(state: HubSpotSandboxState): number {
  const live = (channelId: string | undefined) => {
    const channel = channelId ? state.channels.get(channelId) : undefined;
    return channel && !channel.archived && channel.webhookUrl ? channel : undefined;
  };
  const send = (channel: SandboxChannel, event: SentEvent) =>
    whenReachable(
      () => channel.webhookUrl,
      () => sendWebhook(state, channel, event),
    );

  let resumed = 0;
  for (const attempts of attemptsByEvent(state.webhookDeliveries).values()) {
    const delivered = attempts.some((a) => a.status !== undefined && a.status >= 200 && a.status < 300);
    const gaveUp = attempts.length > state.options.webhookRetry.maxRetries;
    const event = attempts[0]!.body as SentEvent;
    const channel = live(event.channelId);
    if (delivered || gaveUp || !channel) continue;
    send(channel, event);
    resumed += 1;
  }

  const announced = new Set(state.webhookDeliveries.map((d) => (d.body as SentEvent).message?.id));
  for (const message of state.messages.values()) {
    const byRep = message.direction === 'OUTGOING' && message.createdBy?.startsWith('A-');
    const channel = live(message.channelId);
    if (!byRep || !channel || announced.has(message.id) || (message.statusUpdates?.length ?? 0) > 0) continue;
    send(channel, outgoingMessageEvent(state, channel, message));
    resumed += 1;
  }
  return resumed;
}

function attemptsByEvent(deliveries: readonly WebhookDelivery[]): Map<string, WebhookDelivery[]> {
  const byEvent = new Map<string, WebhookDelivery[]>();
  for (const delivery of deliveries) {
    const attempts = byEvent.get(delivery.eventId);
    if (attempts) attempts.push(delivery);
    else byEvent.set(delivery.eventId, [delivery]);
  }
  return byEvent;
}
