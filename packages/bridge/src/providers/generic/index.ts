import type { AccountId } from '../../domain/ids.js';
import { MEDIA_KINDS, type InboundMedia, type MediaKind } from '../../domain/messages.js';
import type { HttpFetch, ProviderAdapter, ProviderCapabilities, RawWebhook } from '../types.js';
import type { HostLookup } from '../../net/address-policy.js';
import { createGuardedFetch } from '../../net/guarded-connect.js';
import { fetchRemoteMedia } from './media-fetch.js';
import { normaliseGenericWebhook } from './normalise.js';
import { sendGenericMessage, type GenericOutboundMessage, type MediaUrlSigner, type SendCallOptions } from './send.js';
import { verifyStandardWebhook } from './verify.js';
import { INLINE_MAX_BYTES } from './wire-types.js';

export { InlineMediaNotRefetchableError, ForbiddenAddressError, isInlineRef } from './errors.js';
export { outboundEventId, type GenericOutboundMessage, type MediaUrlSigner } from './send.js';
export { formattedHtml, sanitiseFormattedHtml } from './formatted.js';

/** A generic account's credentials, as the store holds them. */
export interface GenericAdapterConfig {
  readonly accountId: AccountId;
  /** `whsec_…` secret shared with the connector; signs and verifies both directions. */
  readonly signingSecret: string;
  /** Where replies go: the connector's endpoint for `message.created` from the bridge. */
  readonly callbackUrl?: string;
  /** `Name: value` header the connector wants on media downloads, e.g. `Authorization: Bearer …`. */
  readonly mediaAuthHeader?: string;
}

export interface GenericAdapterDeps {
  /** Defaults to a fetch that checks each connection's address against the policy below. */
  readonly fetch?: HttpFetch;
  /** Signs bridge-served URLs for outbound attachments; without it only inline (≤ 256 KiB) files go. */
  readonly mediaUrlFor?: MediaUrlSigner;
  /** Hosts or addresses exempt from the public-address rule: tests and local sandboxes only. */
  readonly allowPrivateHosts?: readonly string[];
  readonly lookup?: HostLookup;
  readonly maxInboundMediaBytes?: number;
  readonly sendTimeoutMs?: number;
  readonly mediaHeadersTimeoutMs?: number;
  readonly mediaTotalTimeoutMs?: number;
  readonly now?: () => Date;
}

const DEFAULT_MAX_INBOUND_MEDIA_BYTES = 25_000_000;

/** Any service that implements docs/GENERIC_PROVIDER.md. */
export function createGenericAdapter(config: GenericAdapterConfig, deps: GenericAdapterDeps = {}) {
  const policy = { allowPrivateHosts: deps.allowPrivateHosts, lookup: deps.lookup };
  // The default fetch re-checks addresses when it connects, which closes the DNS-rebinding gap.
  const fetchFn = deps.fetch ?? createGuardedFetch(policy);
  const maxInbound = deps.maxInboundMediaBytes ?? DEFAULT_MAX_INBOUND_MEDIA_BYTES;
  // Without a media URL signer, replies can carry files only inline, so every kind is capped there.
  const maxOutboundMediaBytes: Partial<Record<MediaKind, number>> = deps.mediaUrlFor
    ? {}
    : Object.fromEntries(MEDIA_KINDS.map((kind) => [kind, INLINE_MAX_BYTES]));
  // `text` is plain; the rep's rich text rides beside it as `formatted` (send.ts), which only this adapter reads.
  const capabilities: ProviderCapabilities = {
    mediaKinds: MEDIA_KINDS,
    receipts: true,
    maxInboundMediaBytes: maxInbound,
    maxOutboundMediaBytes,
    textFormat: 'plain',
  };
  return {
    provider: 'generic',
    capabilities,
    verify: (webhook: RawWebhook, now?: Date) => verifyStandardWebhook(config.signingSecret, webhook, now),
    normalise: (webhook: RawWebhook) => normaliseGenericWebhook(config.accountId, webhook),
    send: (message: GenericOutboundMessage, call?: SendCallOptions) =>
      sendGenericMessage(
        message,
        {
          ...policy,
          accountId: config.accountId,
          signingSecret: config.signingSecret,
          callbackUrl: config.callbackUrl,
          fetch: fetchFn,
          mediaUrlFor: deps.mediaUrlFor,
          timeoutMs: deps.sendTimeoutMs,
          now: deps.now,
        },
        call,
      ),
    fetchMedia: (media: InboundMedia) =>
      fetchRemoteMedia(media, {
        ...policy,
        fetch: fetchFn,
        maxBytes: maxInbound,
        authHeader: config.mediaAuthHeader,
        headersTimeoutMs: deps.mediaHeadersTimeoutMs,
        totalTimeoutMs: deps.mediaTotalTimeoutMs,
      }),
  } satisfies ProviderAdapter;
}
