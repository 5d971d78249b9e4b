import type { Scenario, ScenarioSize } from '../scenario.js';
import { apiKill } from './api-kill.js';
import { baseline } from './baseline.js';
import { hubspotFaults } from './hubspot-faults.js';
import { providerFaults } from './provider-faults.js';
import { temporalRestart } from './temporal-restart.js';
import { workerKill } from './worker-kill.js';

export const SCENARIOS: readonly Scenario[] = [baseline, workerKill, apiKill, temporalRestart, hubspotFaults, providerFaults];

/** `npm run chaos`: 50 conversations × (30 customer messages + 10 rep replies) = 2,000 messages per scenario. */
export const FULL_SIZE: ScenarioSize = { conversations: 50, inboundPerConversation: 30, outboundPerConversation: 10, ratePerSecond: 10, settleMs: 420_000 };

/** `npm test`: 12 conversations × (12 + 4) = 192 messages per scenario. */
export const TEST_SIZE: ScenarioSize = { conversations: 12, inboundPerConversation: 12, outboundPerConversation: 4, ratePerSecond: 12, settleMs: 150_000 };
