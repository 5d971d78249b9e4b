import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { hubSpotSignatureV3 } from '../../../packages/bridge/src/hubspot/signature.js';
import { signHubSignature } from '../../../packages/bridge/src/providers/whatsapp/verify.js';
import type { AccountWithCredentials } from '../../../packages/bridge/src/store/types.js';
import { messageCreated, signedGenericRequest } from '../../helpers/generic-sender.js';
import { telegramFixture } from '../../helpers/telegram-fixtures.js';

/** One message a sender could post: its exact bytes and the workflow it must (or must not) start. */
export interface WebhookMessage {
  readonly body: string;
  readonly workflowId: string;
}

/**
 * How one sender signs its webhooks. `sign` returns the headers a real sender would attach to `body`,
 * signed with `secret` at `at` (ignored by schemes whose signature carries no time).
 */
export interface WebhookScheme {
  readonly name: string;
  readonly url: string;
  /** The seconds either side of now a signature stays valid, or undefined when the scheme signs no time. */
  readonly windowSeconds?: number;
  readonly secret: string;
  /** A secret that is real, but another account's (or another app's) : it must not open this URL. */
  readonly otherSecret: string;
  message(): WebhookMessage;
  sign(body: string, secret: string, at?: Date): Record<string, string>;
}

const whatsappText = fs.readFileSync(path.resolve(import.meta.dirname, '../../fixtures/whatsapp/text.json'), 'utf8');

export const randomSecret = () => randomBytes(24).toString('base64url');

export function genericScheme(
  apiUrl: string,
  account: AccountWithCredentials,
  other: AccountWithCredentials,
): WebhookScheme {
  return {
    name: 'the generic provider (Standard Webhooks)',
    url: `${apiUrl}/webhooks/generic/${account.accountId}`,
    windowSeconds: 300,
    secret: account.credentials.signingSecret!,
    otherSecret: other.credentials.signingSecret!,
    message() {
      const payload = messageCreated();
      return { body: JSON.stringify(payload), workflowId: `inbound:${account.accountId}:${payload.data.messageId}` };
    },
    // Standard Webhooks secrets are `whsec_` + base64: a made-up secret is given that shape, so only its value is
    // wrong.
    sign: (body, secret, at) =>
      signedGenericRequest(
        secret.startsWith('whsec_') ? secret : `whsec_${Buffer.from(secret).toString('base64')}`,
        body,
        { at },
      ).headers,
  };
}

export function hubSpotScheme(apiUrl: string, clientSecret: string, channelAccountId: string): WebhookScheme {
  const url = `${apiUrl}/webhooks/hubspot`;
  return {
    name: 'HubSpot (X-HubSpot-Signature-v3)',
    url,
    windowSeconds: 300,
    secret: clientSecret,
    otherSecret: `another-app-${randomSecret()}`,
    message() {
      const id = randomUUID();
      const event = {
        type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
        eventId: randomUUID(),
        portalId: 1,
        message: { id, channelAccountId, text: 'a rep reply', recipients: [], attachments: [] },
      };
      return { body: JSON.stringify(event), workflowId: `outbound:${id}` };
    },
    sign(body, secret, at = new Date()) {
      const timestamp = String(at.getTime());
      return {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': timestamp,
        'x-hubspot-signature-v3': hubSpotSignatureV3(secret, 'POST', url, Buffer.from(body), timestamp),
      };
    },
  };
}

export function whatsAppScheme(
  apiUrl: string,
  account: AccountWithCredentials,
  other: AccountWithCredentials,
): WebhookScheme {
  return {
    name: 'WhatsApp (X-Hub-Signature-256)',
    url: `${apiUrl}/webhooks/whatsapp/${account.accountId}`,
    secret: account.credentials.appSecret!,
    otherSecret: other.credentials.appSecret!,
    message() {
      const wamid = `wamid.${randomUUID()}`;
      const body = whatsappText.replace('wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzTEXT01', wamid);
      return { body, workflowId: `inbound:${account.accountId}:${wamid}` };
    },
    sign: (body, secret) => ({
      'content-type': 'application/json',
      'x-hub-signature-256': signHubSignature(secret, body),
    }),
  };
}

let telegramMessageId = Math.floor(Math.random() * 1_000_000);
export function telegramScheme(
  apiUrl: string,
  account: AccountWithCredentials,
  other: AccountWithCredentials,
): WebhookScheme {
  return {
    name: 'Telegram (secret_token header)',
    url: `${apiUrl}/webhooks/telegram/${account.accountId}`,
    secret: account.credentials.secretToken!,
    otherSecret: other.credentials.secretToken!,
    message() {
      const update = telegramFixture('text') as {
        update_id: number;
        message: { message_id: number; chat: { id: number } };
      };
      const id = ++telegramMessageId;
      update.update_id = id;
      update.message.message_id = id;
      return {
        body: JSON.stringify(update),
        workflowId: `inbound:${account.accountId}:${update.message.chat.id}:${id}`,
      };
    },
    // Telegram signs nothing: the secret itself travels in the header, so "a signature for another body" is the same
    // header.
    sign: (_body, secret) => ({ 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }),
  };
}

/** The run id of a workflow, or undefined when none was ever started under that id. */
export async function runIdOf(client: Client, workflowId: string): Promise<string | undefined> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).runId;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}
