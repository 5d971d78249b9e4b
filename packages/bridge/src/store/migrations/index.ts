import { accountsAndMessages } from './001-accounts-and-messages.js';
import { outboundDeliveries } from './0020-outbound-deliveries.js';
import { connectionsAndOAuth } from './0030-connections-and-oauth.js';
import { inboundConversations } from './0010-inbound-conversations.js';
import { inboundTurns } from './0011-inbound-turns.js';
import { chatAliases } from './0012-chat-aliases.js';
import { conversationSequencer } from './0013-conversation-sequencer.js';
import { threadSeenOpen } from './0014-thread-seen-open.js';
import { turnWaitsInStep } from './0015-turn-waits-in-step.js';
import { outboundParts } from './0040-outbound-parts.js';
import { apiPresence } from './0041-api-presence.js';
import { deadLetters } from './0050-dead-letters.js';
import { hubspotCallHolds } from './0060-hubspot-call-holds.js';
import { hubspotCallMinutes } from './0061-hubspot-call-minutes.js';
import { hubspotCallPacing } from './0062-hubspot-call-pacing.js';
import { turnPendingStart } from './0063-turn-pending-start.js';
import { providerClaims } from './0080-provider-claims.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Plain SQL that SQLite and PostgreSQL both accept: TEXT keys, INTEGER flags, ISO-8601 TEXT times. */
  readonly sql: string;
}

/**
 * The one ordered list of schema migrations, one file each. Append a new file and a line here;
 * never edit a step that has shipped.
 */
export const MIGRATIONS: readonly Migration[] = [
  accountsAndMessages,
  outboundDeliveries,
  connectionsAndOAuth,
  inboundConversations,
  inboundTurns,
  outboundParts,
  apiPresence,
  chatAliases,
  deadLetters,
  conversationSequencer,
  hubspotCallHolds,
  providerClaims,
  hubspotCallMinutes,
  threadSeenOpen,
  turnWaitsInStep,
  hubspotCallPacing,
  turnPendingStart,
];
