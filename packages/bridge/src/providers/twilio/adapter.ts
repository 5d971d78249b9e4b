import type { AccountId } from '../../domain/ids.js';
import type { InboundMedia } from '../../domain/messages.js';
import type { HttpFetch, OutboundMessage, ProviderAdapter, RawWebhook, SendOptions } from '../types.js';
import { fetchTwilioMedia } from './media.js';
import { TWILIO, TWILIO_CAPABILITIES } from './limits.js';
import { normaliseTwilioWebhook } from './normalise.js';
import { sendTwilioMessage, type MediaUrlSigner } from './send.js';
import { verifyTwilioWebhook } from './verify.js';

/** A Twilio account's credentials and addresses, as the store and config hold them. */
export interface TwilioAdapterConfig {
  readonly accountId: AccountId;
  /** `AC…`: whose Messages API is called and whose webhooks are checked. */
  readonly accountSid: string;
  /** Signs every webhook (X-Twilio-Signature) and authenticates every API call. */
  readonly authToken: string;
  /** E.164 number or Messaging Service SID (`MG…`). */
  readonly sender: string;
  /**
   * The public URL Twilio calls for this account (`{BRIDGE_PUBLIC_URL}/webhooks/twilio/{accountId}`): the signature
   * covers it, and it is each message's StatusCallback. A webhook that brings its own `url` (the full URL as called,
   * query included) is checked against that instead.
   */
  readonly webhookUrl?: string;
  /** @default https://api.twilio.com */
  readonly apiBaseUrl?: string;
}

export interface TwilioAdapterDeps {
  readonly fetch: HttpFetch;
  readonly mediaUrlFor?: MediaUrlSigner;
  readonly now?: () => Date;
}

/** SMS and MMS through Twilio's Programmable Messaging API. */
export function createTwilioAdapter(config: TwilioAdapterConfig, deps: TwilioAdapterDeps) {
  const endpoint = {
    accountSid: config.accountSid,
    authToken: config.authToken,
    apiBaseUrl: config.apiBaseUrl,
    fetch: deps.fetch,
  };
  const now = deps.now ?? (() => new Date());
  return {
    provider: TWILIO,
    capabilities: TWILIO_CAPABILITIES,
    verify: (webhook: RawWebhook) => verifyTwilioWebhook(config.authToken, webhook.url ?? config.webhookUrl, webhook),
    normalise: (webhook: RawWebhook) => normaliseTwilioWebhook({ accountId: config.accountId, now }, webhook),
    send: (message: OutboundMessage, options?: SendOptions) =>
      sendTwilioMessage(
        { ...endpoint, sender: config.sender, statusCallbackUrl: config.webhookUrl, mediaUrlFor: deps.mediaUrlFor },
        message,
        options,
      ),
    fetchMedia: (media: InboundMedia) => fetchTwilioMedia(endpoint, media, TWILIO_CAPABILITIES.maxInboundMediaBytes),
  } satisfies ProviderAdapter;
}
