import type { Scenario, ScenarioSize } from '../scenario.js';
import { apiKill } from './api-kill.js';
import { baseline } from './baseline.js';
import { connectionPending } from './connection-pending.js';
import { deploy } from './deploy.js';
import { hubspotFaults } from './hubspot-faults.js';
import { longHold } from './long-hold.js';
import { outboundRateLimit } from './outbound-rate-limit.js';
import { providerFaults } from './provider-faults.js';
import { temporalRestart } from './temporal-restart.js';
import { workerKill } from './worker-kill.js';

export const SCENARIOS: readonly Scenario[] = [
  baseline,
  workerKill,
  apiKill,
  temporalRestart,
  hubspotFaults,
  providerFaults,
  deploy,
  longHold,
  connectionPending,
  outboundRateLimit,
];

/** `npm run chaos`: 50 conversations × (30 customer messages + 10 rep replies) = 2,000 messages per scenario. */
export const FULL_SIZE: ScenarioSize = {
  conversations: 50,
  inboundPerConversation: 30,
  outboundPerConversation: 10,
  ratePerSecond: 10,
  settleMs: 420_000,
};

/** `npm test`: 12 conversations × (12 + 4) = 192 messages per scenario. */
export const TEST_SIZE: ScenarioSize = {
  conversations: 12,
  inboundPerConversation: 12,
  outboundPerConversation: 4,
  ratePerSecond: 12,
  settleMs: 150_000,
};

/**
 * `npm test` for the ordering and hold scenarios (deploy, long hold, pending connection, outbound 429s), smaller so the
 * chaos tests grow by minutes, not tens: 9 × (9 + 3) = 108.
 */
export const SMALL_TEST_SIZE: ScenarioSize = {
  conversations: 9,
  inboundPerConversation: 9,
  outboundPerConversation: 3,
  ratePerSecond: 12,
  settleMs: 150_000,
};
