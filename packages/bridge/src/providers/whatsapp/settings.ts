import { z } from 'zod';
import type { PacingRule, ProviderEnvSetting, ProviderSettingsSpec } from '../module.js';
import { apiUrl, nonNegativeInt, withoutTrailingSlash } from '../settings-schemas.js';
import { DEFAULT_GRAPH_BASE_URL } from './graph.js';
import {
  DEFAULT_TEMPLATE_LANGUAGE,
  TEMPLATE_LANGUAGE,
  TEMPLATE_NAME,
  type WhatsAppWindowPolicy,
} from './window-template.js';

export interface WhatsAppSettings {
  /** Meta's Graph API (WHATSAPP_GRAPH_BASE_URL). @default 'https://graph.facebook.com' */
  readonly graphBaseUrl: string;
  /**
   * Replies after the 24-hour window: fail with a reason (default) or send a template (docs/OUTBOUND.md); an account's
   * own settings win.
   */
  readonly window: WhatsAppWindowPolicy;
  readonly pacing: PacingRule;
}

const env = {
  OUTBOUND_WHATSAPP_CHAT_INTERVAL_MS: {
    section: 'outbound',
    schema: nonNegativeInt(6000),
    doc: "WhatsApp: the least time between two messages to one customer (Meta's pair limit).",
  },
  OUTBOUND_WHATSAPP_PER_SECOND: {
    section: 'outbound',
    schema: nonNegativeInt(80),
    doc: 'WhatsApp: messages per second per number.',
  },
  WHATSAPP_WINDOW_MODE: {
    section: 'outbound',
    schema: z.enum(['fail', 'template'], { message: 'WHATSAPP_WINDOW_MODE must be fail or template' }).optional(),
    doc: "After WhatsApp's 24-hour window: fail (FAILED with the reason) or template. Default: template when WHATSAPP_WINDOW_TEMPLATE is set, else fail.",
  },
  WHATSAPP_WINDOW_TEMPLATE: {
    section: 'outbound',
    schema: z
      .string()
      .regex(
        TEMPLATE_NAME,
        'WHATSAPP_WINDOW_TEMPLATE must be an approved template name: lowercase letters, digits and underscores',
      )
      .optional(),
    doc: "An approved template whose body has one parameter, {{1}}, which receives the reply's text.",
  },
  WHATSAPP_WINDOW_TEMPLATE_LANGUAGE: {
    section: 'outbound',
    schema: z
      .string()
      .regex(
        TEMPLATE_LANGUAGE,
        'WHATSAPP_WINDOW_TEMPLATE_LANGUAGE must be a template language code such as en or en_US',
      )
      .default(DEFAULT_TEMPLATE_LANGUAGE),
    doc: "The template's language code.",
  },
  WHATSAPP_GRAPH_BASE_URL: {
    section: 'providers',
    schema: apiUrl('WHATSAPP_GRAPH_BASE_URL', DEFAULT_GRAPH_BASE_URL),
    doc: "Meta's Graph API.",
  },
} satisfies Record<string, ProviderEnvSetting>;

/**
 * WHATSAPP_WINDOW_MODE defaults to template when WHATSAPP_WINDOW_TEMPLATE is set, else fail; WHATSAPP_WINDOW_MODE=fail
 * keeps a configured template unused.
 */
function windowPolicy(e: Readonly<Record<string, unknown>>): WhatsAppWindowPolicy {
  const template = e.WHATSAPP_WINDOW_TEMPLATE as string | undefined;
  const mode = (e.WHATSAPP_WINDOW_MODE as 'fail' | 'template' | undefined) ?? (template ? 'template' : 'fail');
  return mode === 'template' && template
    ? {
        mode,
        template: {
          name: template,
          language: String(e.WHATSAPP_WINDOW_TEMPLATE_LANGUAGE ?? DEFAULT_TEMPLATE_LANGUAGE),
        },
      }
    : { mode: 'fail' };
}

/**
 * About 1 message per 6 s to one user (error 131056) and 80/s per number (130429):
 * https://developers.facebook.com/docs/whatsapp/throughput,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes.
 */
export const whatsappSettings: ProviderSettingsSpec<WhatsAppSettings> = {
  env,
  fromEnv: (e) => ({
    graphBaseUrl: withoutTrailingSlash(String(e.WHATSAPP_GRAPH_BASE_URL ?? DEFAULT_GRAPH_BASE_URL)),
    window: windowPolicy(e),
    pacing: {
      perChatIntervalMs: Number(e.OUTBOUND_WHATSAPP_CHAT_INTERVAL_MS ?? 6000),
      globalPerSecond: Number(e.OUTBOUND_WHATSAPP_PER_SECOND ?? 80),
    },
  }),
  problems: (e) =>
    e.WHATSAPP_WINDOW_MODE === 'template' && !e.WHATSAPP_WINDOW_TEMPLATE
      ? [
          'WHATSAPP_WINDOW_TEMPLATE is required when WHATSAPP_WINDOW_MODE is template: the name of an approved template whose body has one parameter, {{1}}',
        ]
      : [],
  pacing: (settings) => settings.pacing,
};
