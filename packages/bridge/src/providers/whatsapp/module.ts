import type { Credentials, ProviderModule } from '../module.js';
import { whatsappConnect, whatsappIdentityOf } from './connect.js';
import { whatsappDoctor, whatsappWebhookHealth } from './doctor.js';
import { createWhatsAppAdapter } from './index.js';
import { htmlToWhatsApp } from './markup.js';
import { MAX_CAPTION_CHARS, whatsAppMediaFor } from './send.js';
import { whatsappSettings, type WhatsAppSettings } from './settings.js';
import {
  DEFAULT_TEMPLATE_LANGUAGE,
  TEMPLATE_LANGUAGE,
  TEMPLATE_NAME,
  type WhatsAppWindowPolicy,
} from './window-template.js';

/**
 * The window policy for one account: its stored `windowMode`, `windowTemplate` and `windowTemplateLanguage` when it
 * has them (an account connected for another brand or language), else the bridge's. Values that Meta could never take
 * are ignored rather than sent.
 */
export function windowPolicyFor(credentials: Credentials, fallback: WhatsAppWindowPolicy): WhatsAppWindowPolicy {
  const { windowMode, windowTemplate, windowTemplateLanguage } = credentials;
  if (windowMode === 'fail') return { mode: 'fail' };
  const name = windowTemplate && TEMPLATE_NAME.test(windowTemplate) ? windowTemplate : undefined;
  if (!name) return fallback;
  const language =
    windowTemplateLanguage && TEMPLATE_LANGUAGE.test(windowTemplateLanguage)
      ? windowTemplateLanguage
      : (fallback.template?.language ?? DEFAULT_TEMPLATE_LANGUAGE);
  return { mode: 'template', template: { name, language } };
}

/** WhatsApp Business Cloud API (Meta): one business phone number per channel account. */
export const whatsappProvider: ProviderModule<WhatsAppSettings> = {
  kind: 'whatsapp',
  displayName: 'WhatsApp',
  settings: whatsappSettings,
  // Meta retries a webhook not answered 200, for up to 7 days (WhatsApp Cloud API webhooks; the length is unverified).
  retriesRefusedWebhooks: true,
  createAdapter: (ctx) =>
    createWhatsAppAdapter(
      {
        accountId: ctx.accountId,
        phoneNumberId: ctx.credential('phoneNumberId'),
        accessToken: ctx.credential('accessToken'),
        appSecret: ctx.credential('appSecret'),
        verifyToken: ctx.credential('verifyToken'),
        graphBaseUrl: ctx.settings.graphBaseUrl,
        window: windowPolicyFor(ctx.credentials, ctx.settings.window),
      },
      { fetch: ctx.fetchTrusting(ctx.settings.graphBaseUrl), mediaPolicy: ctx.mediaPolicy },
    ),
  reply: {
    fileVerdict: (attachment) => ({ captionable: whatsAppMediaFor(attachment).captionable }),
    captionFits: (text) => text.length <= MAX_CAPTION_CHARS,
    formatText: htmlToWhatsApp,
    formatPlain: (text) => text,
  },
  identityOf: whatsappIdentityOf,
  connect: whatsappConnect,
  // Meta's webhook is set by the admin in Meta's dashboard: nothing to undo at the provider when an account goes.
  doctor: whatsappDoctor,
  webhookHealth: whatsappWebhookHealth,
};
