import type { AccountId } from '../../domain/ids.js';
import type { AddressPolicy } from '../../net/address-policy.js';
import type { InboundMedia } from '../../domain/messages.js';
import type { HttpFetch, OutboundMessage, ProviderAdapter, RawWebhook, SendOptions } from '../types.js';
import { graphContext } from './graph.js';
import { MAX_BYTES } from './limits.js';
import { fetchWhatsAppMedia } from './media.js';
import { normaliseWhatsAppWebhook } from './normalise.js';
import { sendOutsideWindow, sendWhatsAppMessage } from './send.js';
import { DEFAULT_WINDOW_POLICY, type WhatsAppWindowPolicy } from './window-template.js';
import { answerHandshake, verifyHubSignature } from './verify.js';

export interface WhatsAppAdapterConfig {
  readonly accountId: AccountId;
  /** The business number's Graph id; webhooks for any other number are ignored. */
  readonly phoneNumberId: string;
  /** System-user token with `whatsapp_business_messaging`. */
  readonly accessToken: string;
  /** Signs webhooks (`X-Hub-Signature-256`). */
  readonly appSecret: string;
  /** Answers the subscription handshake. */
  readonly verifyToken: string;
  /** @default 'https://graph.facebook.com' */
  readonly graphBaseUrl?: string;
  /** @default 'v23.0' */
  readonly graphVersion?: string;
  /** Longest wait for one Graph API call. @default 120000 */
  readonly requestTimeoutMs?: number;
  /**
   * What a reply does once the customer service window has closed (WHATSAPP_WINDOW_*). @default fail with a readable
   * reason
   */
  readonly window?: WhatsAppWindowPolicy;
}

export interface WhatsAppAdapterDeps {
  readonly fetch: HttpFetch;
  /** Where Graph's media URLs may point besides public addresses and the Graph origin (sandboxes only). */
  readonly mediaPolicy?: AddressPolicy;
}

/** WhatsApp Business Cloud API (Meta), one business phone number per channel account. */
export function createWhatsAppAdapter(config: WhatsAppAdapterConfig, deps: WhatsAppAdapterDeps) {
  const ctx = graphContext(config, deps.fetch, deps.mediaPolicy);
  const capabilities = {
    mediaKinds: ['image', 'audio', 'voice', 'video', 'sticker', 'file'],
    receipts: true,
    maxInboundMediaBytes: MAX_BYTES.document,
    maxOutboundMediaBytes: {
      image: MAX_BYTES.image,
      audio: MAX_BYTES.audio,
      voice: MAX_BYTES.audio,
      video: MAX_BYTES.video,
      sticker: MAX_BYTES.sticker,
      file: MAX_BYTES.document,
    },
    textFormat: 'whatsapp-markup',
  } as const;
  const window = config.window ?? DEFAULT_WINDOW_POLICY;
  const adapter = {
    provider: 'whatsapp',
    capabilities,
    verify: (webhook: RawWebhook) => verifyHubSignature(config.appSecret, webhook),
    normalise: (webhook: RawWebhook) => normaliseWhatsAppWebhook(config, webhook),
    handshake: (query: Readonly<Record<string, unknown>>) => answerHandshake(config.verifyToken, query),
    send: (message: OutboundMessage, options?: SendOptions) =>
      sendWhatsAppMessage(ctx, config.phoneNumberId, message, window, options?.onlyPiece),
    fetchMedia: (media: InboundMedia) =>
      fetchWhatsAppMedia(ctx, config.phoneNumberId, media, capabilities.maxInboundMediaBytes),
  } satisfies ProviderAdapter;
  return {
    ...adapter,
    /**
     * Sends one part again after Meta reported it `failed` with 131047 (outside the window): as the configured
     * template,
     * or a final ProviderError whose reason tells the rep why. For the outbound workflow's receipt handling.
     */
    sendOutsideWindow: (message: OutboundMessage) => sendOutsideWindow(ctx, config.phoneNumberId, message, window),
  };
}

export { lookupPhoneNumber, type WhatsAppPhoneNumber } from './phone-number.js';
export { markMessageRead } from './mark-read.js';
export { htmlToWhatsApp } from './markup.js';
export { signHubSignature, verifyHubSignature, answerHandshake } from './verify.js';
export { reasonForCode, reasonForStatusError } from './errors.js';
export {
  DEFAULT_TEMPLATE_LANGUAGE,
  DEFAULT_WINDOW_POLICY,
  TEMPLATE_LANGUAGE,
  TEMPLATE_NAME,
  windowClosedReason,
  type WhatsAppWindowPolicy,
  type WindowMode,
} from './window-template.js';
export { DEFAULT_GRAPH_BASE_URL, DEFAULT_GRAPH_VERSION, type GraphContext, type GraphSettings } from './graph.js';
