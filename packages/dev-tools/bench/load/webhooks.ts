import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { PlannedRequest } from './open-loop.js';

/** What a sender needs to post to one account's webhook URL (a DemoAccount's fields). */
export interface WebhookTarget {
  readonly webhookUrl: string;
  /** Generic signing secret, Telegram secret token, or WhatsApp app secret. */
  readonly secret: string;
}

export interface MessageSpec {
  /** Unique per run; becomes the provider's message id. */
  readonly id: string;
  /** The conversation; messages of one thread are published in order. */
  readonly thread: string;
  readonly text: string;
  readonly attachments?: readonly GenericAttachment[];
}

export interface GenericAttachment {
  readonly kind: 'image' | 'voice' | 'file';
  readonly contentType: string;
  readonly filename: string;
  readonly url?: string;
  readonly dataBase64?: string;
}

const pathOf = (url: string) => new URL(url).pathname;

/** A generic connector's `message.created`, signed with Standard Webhooks' reference library. */
export function genericMessage(target: WebhookTarget, m: MessageSpec): PlannedRequest {
  const now = new Date();
  const body = JSON.stringify({
    type: 'message.created',
    timestamp: now.toISOString(),
    data: {
      messageId: m.id,
      threadKey: m.thread,
      sender: { id: `customer-${m.thread}`, name: 'Bench Customer' },
      text: m.text,
      attachments: m.attachments ?? [],
      sentAt: now.toISOString(),
    },
  });
  const webhookId = `msg_${m.id}`;
  return {
    id: m.id,
    path: pathOf(target.webhookUrl),
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(target.secret).sign(webhookId, now, body),
    },
  };
}

/** A Telegram Update with a text message; Telegram authenticates by the secret token header. */
export function telegramMessage(
  target: WebhookTarget,
  m: MessageSpec & { updateId: number; messageId: number; chatId: number },
): PlannedRequest {
  const from = { id: m.chatId, is_bot: false, first_name: 'Bench', last_name: m.thread };
  const body = JSON.stringify({
    update_id: m.updateId,
    message: {
      message_id: m.messageId,
      from,
      chat: { id: m.chatId, first_name: 'Bench', type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text: m.text,
    },
  });
  return {
    id: m.id,
    path: pathOf(target.webhookUrl),
    body,
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': target.secret },
  };
}

/** A WhatsApp Cloud webhook with one text message, signed with X-Hub-Signature-256 (HMAC of the app secret). */
export function whatsappMessage(
  target: WebhookTarget,
  m: MessageSpec & { waId: string; phoneNumberId: string; displayPhoneNumber: string },
): PlannedRequest {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: m.displayPhoneNumber, phone_number_id: m.phoneNumberId },
              contacts: [{ profile: { name: `Bench ${m.thread}` }, wa_id: m.waId }],
              messages: [
                {
                  from: m.waId,
                  id: m.id,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: m.text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  const signature = `sha256=${createHmac('sha256', target.secret).update(body).digest('hex')}`;
  return {
    id: m.id,
    path: pathOf(target.webhookUrl),
    body,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
  };
}
