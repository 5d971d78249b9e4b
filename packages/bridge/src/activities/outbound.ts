import { ApplicationFailure } from '@temporalio/activity';
import { conversationKey, type AccountId, type ProviderKind } from '../domain/ids.js';
import type { OutboundRequest } from '../domain/outbound.js';
import { outboundChatId } from '../domain/outbound-chat.js';
import { OutboundErrorType, type HubSpotStatusType } from '../domain/outbound-status.js';
import type { HubSpotOutboundClient } from '../hubspot/status.js';
import { adapterFor, type ProviderEndpoints } from '../providers/registry.js';
import type { Store } from '../store/types.js';
import { createDeliveryActivities } from './delivery.js';
import { createPacer, DEFAULT_PACING, type PacingConfig } from './delivery-pacing.js';
import { toActivityFailure } from './hubspot-errors.js';

export interface OutboundActivityDeps {
  readonly store: Store;
  /**
   * Absent in processes that only carry inbound messages; outbound activities then fail readably. Limited per portal by
   * createActivities (src/activities/index.ts), so status writes and file downloads share the portal's budget with
   * inbound.
   */
  readonly hubspotOutbound?: HubSpotOutboundClient;
  readonly providerEndpoints?: ProviderEndpoints;
  /** @default DEFAULT_PACING */
  readonly pacing?: PacingConfig;
  /** How long an unanswered send is presumed still in flight; tests shorten it. @default IN_FLIGHT_GRACE_MS */
  readonly inFlightGraceMs?: number;
}

/** Where a reply goes, or why it cannot go (yet). No secrets: this lands in workflow history. */
export type OutboundRoute =
  | {
      readonly kind: 'ready';
      readonly accountId: string;
      readonly provider: ProviderKind;
      readonly chatId: string;
      readonly conversationKey: string;
      readonly receipts: boolean;
    }
  | { readonly kind: 'held'; readonly accountId: string }
  | { readonly kind: 'failed'; readonly reason: string };

export function createOutboundActivities(deps: OutboundActivityDeps) {
  const { store } = deps;
  const hubspot = (): HubSpotOutboundClient => {
    if (!deps.hubspotOutbound)
      throw ApplicationFailure.nonRetryable(
        'this worker is not configured for outbound messages',
        OutboundErrorType.DeliveryRefused,
      );
    return deps.hubspotOutbound;
  };
  const pacer = createPacer(deps.pacing ?? DEFAULT_PACING);

  return {
    /** Finds the account and chat; registers the reply for its turn in the chat. Idempotent. */
    async resolveOutbound(request: OutboundRequest, workflowId: string): Promise<OutboundRoute> {
      const account = await store.getAccount(request.channelAccountId);
      if (!account)
        return {
          kind: 'failed',
          reason: 'the channel account is not connected to the bridge (it may have been removed)',
        };
      if (!account.authorized) return { kind: 'held', accountId: account.accountId };
      const chatId = outboundChatId(request);
      if (!chatId)
        return {
          kind: 'failed',
          reason: 'the reply names no customer the bridge can reach (no thread id, no recipient)',
        };
      const key = conversationKey(account.accountId as AccountId, chatId);
      await store.registerOutbound({
        hubspotMessageId: request.hubspotMessageId,
        workflowId,
        accountId: account.accountId,
        conversationKey: key,
        createdAt: request.createdAt,
      });
      // Only the capability matters here; the delivery activity builds its own adapter per attempt.
      const receipts = adapterFor(account, deps.providerEndpoints).capabilities.receipts;
      return {
        kind: 'ready',
        accountId: account.accountId,
        provider: account.provider,
        chatId,
        conversationKey: key,
        receipts,
      };
    },

    /** Succeeds once no earlier reply to the same chat is unfinished; otherwise retried by Temporal. */
    async awaitDeliveryTurn(hubspotMessageId: string, deadline: number, lookbackMs: number): Promise<void> {
      const earlier = await store.earlierOutbound(hubspotMessageId, lookbackMs);
      if (!earlier) return;
      if (Date.now() > deadline) {
        throw ApplicationFailure.nonRetryable(
          `an earlier reply (${earlier}) to this chat was still on its way when the window closed`,
          OutboundErrorType.DeliveryWindowExpired,
        );
      }
      throw ApplicationFailure.retryable(`waiting for reply ${earlier} to this chat`, OutboundErrorType.NotYourTurn);
    },

    async finishOutbound(hubspotMessageId: string): Promise<void> {
      await store.finishOutbound(hubspotMessageId);
    },

    /** PATCHes the reply's status in HubSpot; the workflow only ever asks for a forward move. */
    async reportOutboundStatus(
      request: Pick<OutboundRequest, 'portalId' | 'channelId' | 'hubspotMessageId'>,
      statusType: HubSpotStatusType,
      errorMessage?: string,
    ): Promise<void> {
      try {
        await hubspot().updateMessageStatus(request.portalId, request.channelId, request.hubspotMessageId, {
          statusType,
          errorMessage,
        });
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    ...createDeliveryActivities({
      store,
      hubspot,
      pacer,
      providerEndpoints: deps.providerEndpoints,
      inFlightGraceMs: deps.inFlightGraceMs,
    }),
  };
}
