import { z } from 'zod';
import type { HttpFetch } from '../types.js';
import { graphContext, graphJson, graphUrl, type GraphSettings } from './graph.js';

/**
 * Where a number's webhooks can be set, most specific first: Meta's precedence for the `messages` field (and the other
 * fields that take overrides) is the phone number's override, else the WhatsApp Business account's, else the app's
 * callback URL (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/override/).
 */
export const WEBHOOK_TARGET_SOURCES = ['phone_number', 'whatsapp_business_account', 'application'] as const;
export type WebhookTargetSource = (typeof WEBHOOK_TARGET_SOURCES)[number];

/** What `webhook_configuration` says about one business phone number, as seen by the app whose token read it. */
export interface WhatsAppWebhookTarget {
  /** Where Meta sends the number's `messages` webhooks, and which level set it; undefined when no level has a URL. */
  readonly effective?: { readonly url: string; readonly source: WebhookTargetSource };
  /** Each level Meta reported a URL for. */
  readonly levels: Readonly<Partial<Record<WebhookTargetSource, string>>>;
}

// Confirmed on the override page ("Get phone number alternate callback"): GET /<BUSINESS_PHONE_NUMBER_ID>
// ?fields=webhook_configuration answers {webhook_configuration: {phone_number, whatsapp_business_account, application},
// id}, and `whatsapp_business_account` is only there when the WABA has an override. The phone_numbers edge's documented
// default answer shows `webhook_configuration: {application}` alone for a number without override
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/hosted-es), so a level
// without a URL is absent. [INFERRED] An empty string or a missing webhook_configuration means no URL at that level.
const webhookConfigurationSchema = z
  .object({
    id: z.string(),
    webhook_configuration: z
      .object({
        phone_number: z.string().optional(),
        whatsapp_business_account: z.string().optional(),
        application: z.string().optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

/**
 * `GET /{version}/{phone-number-id}?fields=webhook_configuration` with the account's own access token: where Meta sends
 * this number's webhooks. Read-only. Throws ProviderError as every Graph call does; a token that may not read the field
 * is a non-retryable one with Graph's code (e.g. 10, 200). [INFERRED] Which permission the field needs is not stated
 * on the override page; the phone number node is read with `whatsapp_business_management`.
 */
export async function readWebhookTarget(
  settings: GraphSettings & { readonly phoneNumberId: string },
  deps: { readonly fetch: HttpFetch },
): Promise<WhatsAppWebhookTarget> {
  const ctx = graphContext(settings, deps.fetch);
  const body = await graphJson(
    ctx,
    graphUrl(ctx, `${encodeURIComponent(settings.phoneNumberId)}?fields=webhook_configuration`),
    webhookConfigurationSchema,
  );
  return webhookTargetOf(body.webhook_configuration ?? {});
}

/** Applies Meta's precedence to the levels of a `webhook_configuration` object. Pure. */
export function webhookTargetOf(
  configuration: Partial<Record<WebhookTargetSource, string | undefined>>,
): WhatsAppWebhookTarget {
  const levels: Partial<Record<WebhookTargetSource, string>> = {};
  for (const source of WEBHOOK_TARGET_SOURCES) {
    const url = configuration[source];
    if (url) levels[source] = url;
  }
  const source = WEBHOOK_TARGET_SOURCES.find((s) => levels[s] !== undefined);
  return { levels, ...(source ? { effective: { url: levels[source]!, source } } : {}) };
}
