import { createHmac, randomInt } from 'node:crypto';
import { later, type WebhookDelivery, type WhatsAppSandboxState } from './state.js';

/** Meta escapes every non-ASCII character as \uXXXX in the bytes it signs; receivers must verify those bytes. */
export function encodeLikeMeta(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function envelope(state: WhatsAppSandboxState, value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: state.options.wabaId, changes: [{ value, field: 'messages' }] }],
  };
}

export function metadata(state: WhatsAppSandboxState) {
  return { display_phone_number: state.options.displayPhoneNumber, phone_number_id: state.options.phoneNumberId };
}

/** The GET handshake Meta runs when a webhook URL is saved: the receiver must echo hub.challenge. */
export async function subscribe(state: WhatsAppSandboxState): Promise<{ ok: boolean; reason: string }> {
  const { url, verifyToken } = state.webhook;
  if (!url) return { ok: false, reason: 'no webhook URL is configured' };
  const challenge = String(randomInt(1, 2 ** 31));
  const target = new URL(url);
  target.searchParams.set('hub.mode', 'subscribe');
  target.searchParams.set('hub.verify_token', verifyToken);
  target.searchParams.set('hub.challenge', challenge);
  let result: { ok: boolean; reason: string };
  try {
    const res = await fetch(target, { signal: AbortSignal.timeout(10_000) });
    const body = await res.text();
    result =
      res.ok && body === challenge
        ? { ok: true, reason: 'verified' }
        : { ok: false, reason: `answered ${res.status} ${body.slice(0, 200)}` };
  } catch (error) {
    result = { ok: false, reason: `unreachable: ${(error as Error).message}` };
  }
  state.webhook.verified = result.ok;
  state.webhook.lastHandshake = result.reason;
  return result;
}

/** One signed POST of a raw body to the webhook URL. */
export async function post(state: WhatsAppSandboxState, raw: string): Promise<Response> {
  const res = await fetch(state.webhook.url!, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'facebookexternalua',
      'x-hub-signature-256': `sha256=${createHmac('sha256', state.options.appSecret).update(raw).digest('hex')}`,
    },
    body: raw,
    signal: AbortSignal.timeout(20_000),
  });
  await res.arrayBuffer().catch(() => undefined);
  return res;
}

async function attempt(state: WhatsAppSandboxState, delivery: WebhookDelivery): Promise<void> {
  const at = new Date().toISOString();
  if (!state.webhook.verified) {
    const handshake = await subscribe(state);
    if (!handshake.ok)
      return retryOrGiveUp(state, delivery, { at, error: `webhook not verified: ${handshake.reason}` });
  }
  try {
    const res = await post(state, delivery.raw);
    if (res.ok) {
      delivery.attempts.push({ at, answeredAt: new Date().toISOString(), status: res.status });
      delivery.delivered = true;
      return;
    }
    retryOrGiveUp(state, delivery, { at, answeredAt: new Date().toISOString(), status: res.status });
  } catch (error) {
    retryOrGiveUp(state, delivery, { at, answeredAt: new Date().toISOString(), error: (error as Error).message });
  }
}

function retryOrGiveUp(
  state: WhatsAppSandboxState,
  delivery: WebhookDelivery,
  outcome: WebhookDelivery['attempts'][number],
): void {
  delivery.attempts.push(outcome);
  const { attempts, baseDelayMs, maxDelayMs = Infinity } = state.options.webhookRetry;
  if (delivery.attempts.length >= attempts) {
    delivery.gaveUp = true;
    return;
  }
  later(
    state,
    Math.min(maxDelayMs, baseDelayMs * 2 ** (delivery.attempts.length - 1)),
    () => void attempt(state, delivery),
  );
}

/** Signs and POSTs one `value` in Meta's envelope, retrying non-2xx answers with doubling backoff. */
export function push(
  state: WhatsAppSandboxState,
  kind: WebhookDelivery['kind'],
  value: Record<string, unknown>,
): WebhookDelivery {
  const body = envelope(state, value);
  const delivery: WebhookDelivery = {
    seq: state.deliveries.length + 1,
    kind,
    body,
    raw: encodeLikeMeta(body),
    attempts: [],
    delivered: false,
    gaveUp: false,
  };
  state.deliveries.push(delivery);
  void attempt(state, delivery);
  return delivery;
}

/**
 * After a (re)subscription, sends again what could not be delivered before: locally the webhook URL
 * is often set after the customer already wrote. Meta likewise keeps retrying for days.
 */
export function redeliver(state: WhatsAppSandboxState): number {
  const pending = state.deliveries.filter((d) => !d.delivered && d.gaveUp);
  for (const delivery of pending) {
    delivery.gaveUp = false;
    delivery.attempts.length = 0;
    void attempt(state, delivery);
  }
  return pending.length;
}
