import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Signs like any third-party connector would: with the reference Standard Webhooks library. */
export function signedGenericRequest(secret: string, payload: unknown, options: { id?: string; at?: Date } = {}) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  const signature = new Webhook(secret).sign(id, at, body);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    },
  };
}

export function messageCreated(
  overrides: Partial<{ messageId: string; threadKey: string; text: string; sentAt: Date }> = {},
) {
  return {
    type: 'message.created',
    timestamp: new Date().toISOString(),
    data: {
      messageId: overrides.messageId ?? `m-${randomUUID()}`,
      threadKey: overrides.threadKey ?? 'chat-1',
      sender: { id: 'customer-1', name: 'Jane Doe' },
      text: overrides.text ?? 'Hi, where is order 1042?',
      attachments: [],
      sentAt: (overrides.sentAt ?? new Date()).toISOString(),
    },
  };
}
