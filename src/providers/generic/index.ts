import type { AccountId } from '../../domain/ids.js';
import { MEDIA_KINDS } from '../../domain/messages.js';
import type { ProviderAdapter, RawWebhook } from '../types.js';
import { normaliseGenericWebhook } from './normalise.js';
import { verifyStandardWebhook } from './verify.js';

export interface GenericAdapterConfig {
  readonly accountId: AccountId;
  /** `whsec_…` secret shared with the connector, used for Standard Webhooks signatures. */
  readonly signingSecret: string;
}

/** Any service that implements docs/GENERIC_PROVIDER.md. */
export function createGenericAdapter(config: GenericAdapterConfig) {
  return {
    provider: 'generic',
    capabilities: { mediaKinds: MEDIA_KINDS, receipts: true, maxInboundMediaBytes: 25_000_000, maxOutboundMediaBytes: {}, textFormat: 'plain' },
    verify: (webhook: RawWebhook, now?: Date) => verifyStandardWebhook(config.signingSecret, webhook, now),
    normalise: (webhook: RawWebhook) => normaliseGenericWebhook(config.accountId, webhook),
  } satisfies ProviderAdapter;
}
