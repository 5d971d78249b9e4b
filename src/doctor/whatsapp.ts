import type { Config } from '../config.js';
import { lookupPhoneNumber } from '../providers/whatsapp/phone-number.js';
import { readWebhookTarget, type WebhookTargetSource, type WhatsAppWebhookTarget } from '../providers/whatsapp/webhook-target.js';
import { ProviderError } from '../providers/types.js';
import { fail, messageOf, pass, skip, type CheckResult } from './types.js';

/** An account's line ids and the URLs the bridge accepts its webhooks at, the account id's first. */
export interface WhatsAppCheckSubject {
  readonly id: string;
  readonly title: string;
  readonly urls: readonly string[];
}

/** The fix for a provider account whose setup is gone: connecting again sets it up anew. */
export const RECONNECT = 'remove the account in HubSpot (Inbox settings → Channels) and connect it again: the connection page points the provider at the bridge';
const SOURCE_NAMES: Readonly<Record<WebhookTargetSource, string>> = {
  phone_number: "the phone number's own callback URL (a webhook override)",
  whatsapp_business_account: "the WhatsApp Business account's callback URL (a webhook override)",
  application: "the app's callback URL",
};

/**
 * Two lines per WhatsApp account: the stored access token reads the phone number, and Meta sends the number's
 * webhooks to the bridge. The second reads `webhook_configuration` with the same token (webhook-target.ts); it is
 * `-` only when Meta will not show it to that token, or the token itself failed.
 */
export async function whatsappChecks(config: Config, subject: WhatsAppCheckSubject, credentials: Readonly<Record<string, string>>): Promise<CheckResult[]> {
  const { id, title } = subject;
  const { phoneNumberId, accessToken } = credentials;
  const webhookId = `${id}.webhook`;
  const webhookTitle = `${title} webhook`;
  if (!phoneNumberId || !accessToken) {
    return [fail(id, title, 'no phone number id or access token is stored for it', RECONNECT), skip(webhookId, webhookTitle, 'not checked: no access token to read it with (above)')];
  }
  const settings = { phoneNumberId, accessToken, graphBaseUrl: config.providers.whatsappGraphBaseUrl, requestTimeoutMs: 10_000 };
  let number;
  try {
    number = await lookupPhoneNumber(settings, { fetch });
  } catch (error) {
    const token = fail(id, title, `Meta refused the stored access token for phone number ${phoneNumberId}: ${messageOf(error)}`, `the token expired or lost whatsapp_business_messaging: ${RECONNECT} with a system user token`);
    return [token, skip(webhookId, webhookTitle, 'not checked: Meta refused the access token (above)')];
  }
  return [pass(id, title, `the access token reads phone number ${number.displayPhoneNumber} (${number.verifiedName})`), await webhookCheck(settings, subject)];
}

async function webhookCheck(settings: Parameters<typeof readWebhookTarget>[0], subject: WhatsAppCheckSubject): Promise<CheckResult> {
  try {
    return judgeWebhookTarget(subject, settings.phoneNumberId, await readWebhookTarget(settings, { fetch }));
  } catch (error) {
    return judgeWebhookReadError(subject, error);
  }
}

/** ✓ when Meta's effective callback URL for the number is one of the bridge's, ✗ naming where it is set otherwise. Pure. */
export function judgeWebhookTarget(subject: WhatsAppCheckSubject, phoneNumberId: string, target: WhatsAppWebhookTarget): CheckResult {
  const id = `${subject.id}.webhook`;
  const title = `${subject.title} webhook`;
  const expected = subject.urls[0]!;
  const { effective } = target;
  if (!effective) {
    return fail(id, title, 'Meta has no callback URL for this number: its messages reach no one', `in Meta's app dashboard (WhatsApp → Configuration → Webhook) set the callback URL to ${expected}, with the verify token shown when the account was connected, and subscribe it to "messages"`);
  }
  const where = SOURCE_NAMES[effective.source];
  if (subject.urls.includes(effective.url)) return pass(id, title, `Meta sends this number's messages to ${effective.url}, ${where}`);
  return fail(id, title, `Meta sends this number's messages to ${effective.url}, ${where}, not to ${expected}: customers' messages go elsewhere`, fixFor(effective.source, phoneNumberId, expected));
}

function fixFor(source: WebhookTargetSource, phoneNumberId: string, expected: string): string {
  const token = 'the verify token shown when the account was connected';
  switch (source) {
    case 'phone_number':
      return `the override on phone number ${phoneNumberId} wins over the app's callback URL: point it at the bridge with POST /${phoneNumberId} {"webhook_configuration": {"override_callback_uri": "${expected}", "verify_token": <${token}>}}, or remove it with "override_callback_uri": ""`;
    case 'whatsapp_business_account':
      return `the WhatsApp Business account's override wins over the app's callback URL: set it with POST /<WABA id>/subscribed_apps {"override_callback_uri": "${expected}", "verify_token": <${token}>}, or remove it by calling POST /<WABA id>/subscribed_apps without a body`;
    case 'application':
      return `in Meta's app dashboard (WhatsApp → Configuration → Webhook) set the callback URL to ${expected}, with ${token}, subscribed to "messages"; or, if that app serves other numbers, give this number its own with POST /${phoneNumberId} {"webhook_configuration": {"override_callback_uri": "${expected}", "verify_token": <${token}>}}`;
  }
}

/**
 * A refused read (the token may read the number but not this field: Graph's permission codes, or 100 for a field or
 * object it will not show) is `-` with Meta's reason; anything else (Meta unreachable, a 5xx) is ✗.
 */
export function judgeWebhookReadError(subject: WhatsAppCheckSubject, error: unknown): CheckResult {
  const id = `${subject.id}.webhook`;
  const title = `${subject.title} webhook`;
  if (isRefusal(error)) {
    // Meta's own words say which permission or field it refused; the adapter's reason is written for a rep.
    const metaSays = (error.options.cause as { message?: string } | undefined)?.message;
    const reason = metaSays ? `Meta said "${metaSays}", code ${String(error.options.code)}` : messageOf(error);
    return skip(id, title, `not checkable from here: Meta will not show this number's webhook_configuration to the stored access token (${reason})`, `check in Meta's app dashboard (WhatsApp → Configuration → Webhook) that the callback URL is ${subject.urls[0]}, subscribed to "messages", and that neither the phone number nor the WhatsApp Business account has a webhook override`);
  }
  return fail(id, title, `cannot read this number's webhook_configuration: ${messageOf(error)}`, 'check WHATSAPP_GRAPH_BASE_URL and that Meta is reachable from here, then run doctor again');
}

const REFUSAL_CODES = new Set([3, 10, 100]);
function isRefusal(error: unknown): error is ProviderError {
  if (!(error instanceof ProviderError) || error.retryable) return false;
  const code = Number(error.options.code);
  return REFUSAL_CODES.has(code) || (code >= 200 && code <= 299);
}
