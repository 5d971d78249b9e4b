import { RECONNECT, type CheckContext, type ProviderCheck, type WebhookHealth } from '../module.js';
import { ProviderError } from '../types.js';
import { lookupPhoneNumber } from './phone-number.js';
import type { WhatsAppSettings } from './settings.js';
import { readWebhookTarget, type WebhookTargetSource, type WhatsAppWebhookTarget } from './webhook-target.js';

const SOURCE_NAMES: Readonly<Record<WebhookTargetSource, string>> = {
  phone_number: "the phone number's own callback URL (a webhook override)",
  whatsapp_business_account: "the WhatsApp Business account's callback URL (a webhook override)",
  application: "the app's callback URL",
};

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
const tokenLine = (status: ProviderCheck['status'], detail: string, fix?: string): ProviderCheck => ({
  idSuffix: '',
  titleSuffix: '',
  status,
  detail,
  ...(fix ? { fix } : {}),
});
const webhookLine = (status: ProviderCheck['status'], detail: string, fix?: string): ProviderCheck => ({
  idSuffix: '.webhook',
  titleSuffix: ' webhook',
  status,
  detail,
  ...(fix ? { fix } : {}),
});

/**
 * Two lines per WhatsApp account: the stored access token reads the phone number, and Meta sends the number's
 * webhooks to the bridge. The second reads `webhook_configuration` with the same token (webhook-target.ts); it is
 * `-` only when Meta will not show it to that token, or the token itself failed.
 */
export async function whatsappDoctor(ctx: CheckContext<WhatsAppSettings>): Promise<ProviderCheck[]> {
  const { phoneNumberId, accessToken } = ctx.credentials;
  if (!phoneNumberId || !accessToken) {
    return [
      tokenLine('fail', 'no phone number id or access token is stored for it', RECONNECT),
      webhookLine('skip', 'not checked: no access token to read it with (above)'),
    ];
  }
  const settings = { phoneNumberId, accessToken, graphBaseUrl: ctx.settings.graphBaseUrl, requestTimeoutMs: 10_000 };
  let number;
  try {
    number = await lookupPhoneNumber(settings, { fetch: ctx.fetch });
  } catch (error) {
    const token = tokenLine(
      'fail',
      `Meta refused the stored access token for phone number ${phoneNumberId}: ${messageOf(error)}`,
      `the token expired or lost whatsapp_business_messaging: ${RECONNECT} with a system user token`,
    );
    return [token, webhookLine('skip', 'not checked: Meta refused the access token (above)')];
  }
  let webhook: ProviderCheck;
  try {
    webhook = judgeWebhookTarget(
      ctx.expectedUrls,
      phoneNumberId,
      await readWebhookTarget(settings, { fetch: ctx.fetch }),
    );
  } catch (error) {
    webhook = judgeWebhookReadError(ctx.expectedUrls, error);
  }
  return [
    tokenLine('pass', `the access token reads phone number ${number.displayPhoneNumber} (${number.verifiedName})`),
    webhook,
  ];
}

/**
 * ✓ when Meta's effective callback URL for the number is one of the bridge's `urls` (its own first), ✗ naming where it
 * is set otherwise. Pure.
 */
export function judgeWebhookTarget(
  urls: readonly string[],
  phoneNumberId: string,
  target: WhatsAppWebhookTarget,
): ProviderCheck {
  const expected = urls[0]!;
  const { effective } = target;
  if (!effective) {
    return webhookLine(
      'fail',
      'Meta has no callback URL for this number: its messages reach no one',
      `in Meta's app dashboard (WhatsApp → Configuration → Webhook) set the callback URL to ${expected}, with the verify token shown when the account was connected, and subscribe it to "messages"`,
    );
  }
  const where = SOURCE_NAMES[effective.source];
  if (urls.includes(effective.url))
    return webhookLine('pass', `Meta sends this number's messages to ${effective.url}, ${where}`);
  return webhookLine(
    'fail',
    `Meta sends this number's messages to ${effective.url}, ${where}, not to ${expected}: customers' messages go elsewhere`,
    fixFor(effective.source, phoneNumberId, expected),
  );
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
export function judgeWebhookReadError(urls: readonly string[], error: unknown): ProviderCheck {
  if (isRefusal(error)) {
    // Meta's own words say which permission or field it refused; the adapter's reason is written for a rep.
    const metaSays = (error.options.cause as { message?: string } | undefined)?.message;
    const reason = metaSays ? `Meta said "${metaSays}", code ${String(error.options.code)}` : messageOf(error);
    return webhookLine(
      'skip',
      `not checkable from here: Meta will not show this number's webhook_configuration to the stored access token (${reason})`,
      `check in Meta's app dashboard (WhatsApp → Configuration → Webhook) that the callback URL is ${urls[0]}, subscribed to "messages", and that neither the phone number nor the WhatsApp Business account has a webhook override`,
    );
  }
  return webhookLine(
    'fail',
    `cannot read this number's webhook_configuration: ${messageOf(error)}`,
    'check WHATSAPP_GRAPH_BASE_URL and that Meta is reachable from here, then run doctor again',
  );
}

const REFUSAL_CODES = new Set([3, 10, 100]);
function isRefusal(error: unknown): error is ProviderError {
  if (!(error instanceof ProviderError) || error.retryable) return false;
  const code = Number(error.options.code);
  return REFUSAL_CODES.has(code) || (code >= 200 && code <= 299);
}

/**
 * Meta's Graph API tells where a number's webhooks go, but not whether deliveries fail ([INFERRED]: no such field is
 * documented).
 */
export async function whatsappWebhookHealth(ctx: CheckContext<WhatsAppSettings>): Promise<WebhookHealth> {
  const { phoneNumberId, accessToken } = ctx.credentials;
  if (!phoneNumberId || !accessToken)
    return { state: 'problem', note: 'no phone number id or access token is stored: connect it again' };
  const target = await readWebhookTarget(
    { phoneNumberId, accessToken, graphBaseUrl: ctx.settings.graphBaseUrl, requestTimeoutMs: 5_000 },
    { fetch: ctx.fetch },
  );
  const note = 'Meta’s Graph API (the number’s effective callback URL); Meta does not report delivery errors there';
  if (!target.effective) return { state: 'problem', note: `${note}: Meta has no callback URL for this number` };
  return {
    state: new URL(target.effective.url).pathname.startsWith('/webhooks/whatsapp') ? 'ok' : 'problem',
    url: target.effective.url,
    note: `${note}; set on the ${target.effective.source.replace(/_/g, ' ')}`,
  };
}
