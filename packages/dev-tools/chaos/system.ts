import { startLocalSystem, type LocalSystem } from '../src/local/system.js';

/**
 * The whole system for a fault scenario: every part its own process (so any can be killed), HubSpot's rate limit
 * raised (the scenarios test faults, not pacing: `npm test -- inbound-faults` covers that), and every sender that
 * retries its webhooks retrying on a compressed, realistic schedule: Telegram until a 2xx, Meta and the generic
 * connector with backoff, HubSpot doubling from 0.5 s.
 */
export const CHAOS_SANDBOX_ENV: NodeJS.ProcessEnv = {
  SANDBOX_HUBSPOT_RATE_LIMIT_MAX: '2000',
  SANDBOX_HUBSPOT_WEBHOOK_FIRST_DELAY_MS: '500',
  SANDBOX_HUBSPOT_WEBHOOK_MAX_RETRIES: '12',
  SANDBOX_TELEGRAM_WEBHOOK_MAX_ATTEMPTS: '100000',
  SANDBOX_TELEGRAM_WEBHOOK_BASE_DELAY_MS: '250',
  SANDBOX_TELEGRAM_WEBHOOK_MAX_DELAY_MS: '2000',
  SANDBOX_WHATSAPP_WEBHOOK_MAX_ATTEMPTS: '60',
  SANDBOX_WHATSAPP_WEBHOOK_BASE_DELAY_MS: '250',
  SANDBOX_WHATSAPP_WEBHOOK_MAX_DELAY_MS: '4000',
  GENERIC_WEBHOOK_MAX_ATTEMPTS: '60',
  GENERIC_WEBHOOK_BASE_DELAY_MS: '250',
  GENERIC_WEBHOOK_MAX_DELAY_MS: '4000',
};

export const CHAOS_BRIDGE_ENV: NodeJS.ProcessEnv = {
  HUBSPOT_RATE_LIMIT_PER_10S: '2000',
  OUTBOUND_TELEGRAM_CHAT_INTERVAL_MS: '100',
  OUTBOUND_WHATSAPP_CHAT_INTERVAL_MS: '100',
};

export interface ChaosSystemOptions {
  readonly dataDir: string;
  readonly workflowBundlePath?: string;
  readonly sandboxEnv?: NodeJS.ProcessEnv;
  readonly bridgeEnv?: NodeJS.ProcessEnv;
}

export function startChaosSystem(options: ChaosSystemOptions): Promise<LocalSystem> {
  return startLocalSystem({
    dataDir: options.dataDir,
    workflowBundlePath: options.workflowBundlePath,
    sandboxEnv: { ...CHAOS_SANDBOX_ENV, ...options.sandboxEnv },
    bridgeEnv: { ...CHAOS_BRIDGE_ENV, ...options.bridgeEnv },
  });
}
