import type { ProviderEndpoints } from '../providers/registry.js';
import { EXECUTABLE_TYPES } from './media-type.js';
import type { HttpFetch } from '../providers/types.js';

/**
 * How a channel groups messages into HubSpot threads (`threadingModel`,
 * https://developers.hubspot.com/changelog/custom-channels-api-is-now-live).
 */
export type ThreadingModel = 'INTEGRATION_THREAD_ID' | 'DELIVERY_IDENTIFIER';

/** When a conversation starts a new HubSpot thread. */
export interface ThreadPolicy {
  /** @default 'INTEGRATION_THREAD_ID' */
  readonly model: ThreadingModel;
  /** Per channel id, where a channel differs from `model`. */
  readonly modelByChannel?: Readonly<Record<string, ThreadingModel>>;
  /** A message after the HubSpot thread was closed starts a new one. @default true */
  readonly newThreadWhenClosed: boolean;
  /**
   * With `newThreadWhenClosed`: a thread seen open (HubSpot took a message into it, or a read found it OPEN) less than
   * this long ago is trusted open and not read before the publish; 0 reads before every publish. A rep closing the
   * thread inside the window is missed until it ends (docs/INBOUND.md, Threads). @default 60_000
   */
  readonly statusFreshMs: number;
  /** A message this long after the conversation's previous one starts a new thread. @default undefined (never) */
  readonly newThreadAfterIdleMs?: number;
}

export interface MediaPolicy {
  /** Largest file carried into HubSpot Files; the provider's own download limit may be lower. @default 20 MB */
  readonly maxBytes: number;
  /** Content types HubSpot Files should not receive (executables, scripts); they become a note. */
  readonly refusedContentTypes: readonly string[];
  /** Folder in HubSpot Files; `{accountId}` is replaced. @default '/channel-bridge/{accountId}' */
  readonly folderPath: string;
}

export interface RateLimitPolicy {
  /** Calls per window, per portal. @default 100 */
  readonly max: number;
  /** @default 10000 */
  readonly intervalMs: number;
}

export interface InboundSettings {
  readonly threads: ThreadPolicy;
  readonly media: MediaPolicy;
  readonly rateLimit: RateLimitPolicy;
}

export const DEFAULT_INBOUND_SETTINGS: InboundSettings = {
  threads: { model: 'INTEGRATION_THREAD_ID', newThreadWhenClosed: true, statusFreshMs: 60_000 },
  media: {
    maxBytes: 20_000_000,
    refusedContentTypes: EXECUTABLE_TYPES,
    folderPath: '/channel-bridge/{accountId}',
  },
  rateLimit: { max: 100, intervalMs: 10_000 },
};

/** What the inbound activities need besides the store and HubSpot client; every field has a default. */
export interface InboundOptions {
  readonly providerEndpoints?: ProviderEndpoints;
  /** The fetch provider adapters use (tests may wrap it). */
  readonly providerFetch?: HttpFetch;
  readonly inbound?: {
    readonly threads?: Partial<ThreadPolicy>;
    readonly media?: Partial<MediaPolicy>;
    readonly rateLimit?: Partial<RateLimitPolicy>;
  };
}

export function resolveInboundSettings(options: InboundOptions['inbound'] = {}): InboundSettings {
  return {
    threads: { ...DEFAULT_INBOUND_SETTINGS.threads, ...options.threads },
    media: { ...DEFAULT_INBOUND_SETTINGS.media, ...options.media },
    rateLimit: { ...DEFAULT_INBOUND_SETTINGS.rateLimit, ...options.rateLimit },
  };
}
