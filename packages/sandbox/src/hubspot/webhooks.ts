import { createHmac, randomUUID } from 'node:crypto';
import { notFound } from './errors.js';
import { publicMessage } from './public.js';
import {
  SandboxEvent,
  type HubSpotSandboxState,
  type SandboxChannel,
  type SandboxChannelAccount,
  type SandboxMessage,
} from './state.js';
import { threadingModelOf } from './threading.js';

// HubSpot signs the URI with these escapes decoded
// (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation#validate-the-v3-request-signature);
// a URI without them is signed as it is.
const DECODED: [RegExp, string][] = [
  [/%3A/gi, ':'],
  [/%2F/gi, '/'],
  [/%3F/gi, '?'],
  [/%40/gi, '@'],
  [/%21/gi, '!'],
  [/%24/gi, '$'],
  [/%27/gi, "'"],
  [/%28/gi, '('],
  [/%29/gi, ')'],
  [/%2A/gi, '*'],
  [/%2C/gi, ','],
  [/%3B/gi, ';'],
];

/**
 * `X-HubSpot-Signature-v3`: base64 HMAC-SHA256 over method + URI + raw body + timestamp, keyed with the app's client
 * secret
 * (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation#validate-the-v3-request-signature).
 * The URI is the channel's registered `webhookUrl`, as HubSpot calls it.
 */
export function signV3(clientSecret: string, method: string, uri: string, body: string, timestamp: number): string {
  const decodedUri = DECODED.reduce((u, [pattern, char]) => u.replace(pattern, char), uri);
  return createHmac('sha256', clientSecret)
    .update(`${method}${decodedUri}${body}${timestamp}`, 'utf8')
    .digest('base64');
}

export type ChannelAccountEventType = 'CHANNEL_ACCOUNT_CREATED' | 'CHANNEL_ACCOUNT_UPDATED' | 'CHANNEL_ACCOUNT_PURGED';

/**
 * `CHANNEL_ACCOUNT_*` payload (events: https://developers.hubspot.com/changelog/custom-channels-api-is-now-live; field
 * names beyond the ids are community-sourced, [INFERRED]).
 */
export function channelAccountEvent(type: ChannelAccountEventType, account: SandboxChannelAccount) {
  return {
    type,
    eventId: randomUUID(),
    eventTimestamp: new Date().toISOString(),
    portalId: account.portalId,
    channelId: account.channelId,
    channelAccountId: account.id,
    ...(account.deliveryIdentifier ? { channelAccountDeliveryIdentifier: account.deliveryIdentifier } : {}),
  };
}

/**
 * `OUTGOING_CHANNEL_MESSAGE_CREATED` payload
 * (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/guide; fields as public
 * integrations receive them).
 */
export function outgoingMessageEvent(state: HubSpotSandboxState, channel: SandboxChannel, message: SandboxMessage) {
  const thread = state.threads.get(message.conversationsThreadId);
  const threadIds =
    threadingModelOf(channel) === 'INTEGRATION_THREAD_ID' && thread?.integrationThreadId
      ? [thread.integrationThreadId]
      : [];
  return {
    type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
    eventId: randomUUID(),
    eventTimestamp: new Date().toISOString(),
    portalId: message.portalId,
    channelId: message.channelId,
    channelIntegrationThreadIds: threadIds,
    message: publicMessage(state, message),
  };
}

/**
 * POSTs one event to the channel's webhookUrl, signed. A non-2xx answer or a network error is retried up to
 * `webhookRetry.maxRetries` times, the delay doubling from `firstDelayMs`. Every attempt goes to
 * `state.webhookDeliveries`. Resolves when the event was accepted or the retries ran out; callers need not await it.
 */
export async function deliverWebhook(
  state: HubSpotSandboxState,
  channel: SandboxChannel,
  event: { type: string; eventId: string },
): Promise<boolean> {
  const url = channel.webhookUrl;
  if (!url) return false;
  const body = JSON.stringify(event);
  const { maxRetries, firstDelayMs, timeoutMs } = state.options.webhookRetry;
  for (let attempt = 1; attempt <= maxRetries + 1; attempt += 1) {
    if (attempt > 1) await sleep(firstDelayMs * 2 ** (attempt - 2));
    const timestamp = Date.now();
    let status: number | undefined;
    let error: string | undefined;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hubspot-signature-v3': signV3(state.app.clientSecret, 'POST', url, body, timestamp),
          'x-hubspot-request-timestamp': String(timestamp),
          'user-agent': 'HubSpot Webhooks (sandbox)',
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    state.webhookDeliveries.push({
      eventId: event.eventId,
      type: event.type,
      url,
      attempt,
      at: new Date().toISOString(),
      status,
      error,
      body: event,
    });
    state.events.emit(SandboxEvent.webhookDelivered, { id: event.eventId });
    if (status !== undefined && status >= 200 && status < 300) return true;
  }
  return false;
}

// Unref'd so a pending retry never keeps a test process alive.
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Fire and forget: delivery runs in the background; failures are visible in `state.webhookDeliveries`. */
export function sendWebhook(
  state: HubSpotSandboxState,
  channel: SandboxChannel,
  event: { type: string; eventId: string },
): void {
  void deliverWebhook(state, channel, event).catch(() => undefined);
}

/**
 * Sends an event that was already sent once more, byte for byte the same body (same eventId), as HubSpot may when it
 * did not see an answer. Lets tests prove the integration absorbs a duplicate. Throws when the event is unknown.
 */
export function redeliverWebhook(state: HubSpotSandboxState, eventId: string): void {
  const first = state.webhookDeliveries.find((d) => d.eventId === eventId);
  const channel = first && [...state.channels.values()].find((c) => c.webhookUrl === first.url);
  if (!first || !channel) throw notFound(`Webhook event ${eventId}`);
  sendWebhook(state, channel, first.body as { type: string; eventId: string });
}
