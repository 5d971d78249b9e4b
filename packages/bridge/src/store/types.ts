import type { AccountStore } from './accounts-store.js';
import type { ApiPresenceStore } from './api-presence-store.js';
import type { ChatAliasStore } from './chat-aliases.js';
import type { ConnectionStores } from './connections-store.js';
import type { DeadLetterStore } from './dead-letters-store.js';
import type { CallSlotStore, ConversationStore, InboundTurnStore, StagedMediaStore } from './inbound-types.js';
import type { MessageStore } from './messages-store.js';
import type { OutboundPartStore } from './outbound-parts-store.js';
import type { OutboundStore } from './outbound-store.js';
import type { SequencerStore, StartOutbox } from './sequencer-types.js';

// Each part's contract lives in its own backend-neutral file beside this one; sqlite/<part>.ts and
// postgres/<part>.ts implement it. This file composes them and re-exports their names for the rest of the bridge.
export type { Account, AccountStore, AccountWithCredentials, DeliveryIdentifier } from './accounts-store.js';
export type { MessageMapping, MessageStore } from './messages-store.js';
export type { Connection, ConnectionStores, PortalTokens } from './connections-store.js';
export type { OutboundDelivery, OutboundStore, EarlierOutboundOptions } from './outbound-store.js';
export type { OutboundPartStore, PartSendRecord } from './outbound-parts-store.js';
export type { ApiPresenceStore } from './api-presence-store.js';
// Dead letters: HubSpot events the bridge could not use, kept for a replay (docs/OPERATING.md).
export type {
  DeadLetter,
  DeadLetterLimits,
  DeadLetterStore,
  DeadLetterSummary,
  NewDeadLetter,
} from './dead-letters-store.js';
export type { ClaimCutoffs, ProviderClaim, ProviderClaimHolder, ProviderClaimStore } from './provider-claims-store.js';
// Conversation ↔ thread mapping, staged inline media, HubSpot call pacing (inbound-types.ts).
export type {
  ConversationStore,
  ConversationThread,
  StagedMediaStore,
  StagedMedia,
  CallSlotStore,
  InboundTurn,
  InboundTurnStore,
} from './inbound-types.js';
export type { LineTurn, SequencerStore, StartOutbox, TurnClaim, UnstartedTurn } from './sequencer-types.js';
// One customer, several ids on one account, e.g. a phone number and a provider-scoped user id (chat-aliases.ts).
export type { ChatAliasStore } from './chat-aliases.js';

export interface StoreLifecycle {
  /** Cheap liveness probe for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type InboundStores = ConversationStore &
  StagedMediaStore &
  CallSlotStore &
  InboundTurnStore &
  SequencerStore &
  StartOutbox &
  ChatAliasStore;

/**
 * Everything the bridge persists outside Temporal, one part per concern. Every method is idempotent where it writes.
 */
export type Store = AccountStore &
  MessageStore &
  OutboundStore &
  OutboundPartStore &
  ApiPresenceStore &
  DeadLetterStore &
  StoreLifecycle &
  InboundStores &
  ConnectionStores;
