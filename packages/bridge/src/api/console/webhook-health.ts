import type { WebhookHealth } from '../../providers/module.js';
import { findModule, settingsFor, type ProviderSettingsByKind } from '../../providers/registry.js';
import type { AccountWithCredentials } from '../../store/types.js';

export type { WebhookHealth } from '../../providers/module.js';

/**
 * Each provider's settings by kind (its API, the sandbox's in development); from the connection deps when the api has
 * them.
 */
export type ProviderEndpoints = Partial<ProviderSettingsByKind>;

const timedFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(5_000) });
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Asks the account's provider (its module's `webhookHealth`); never throws (a failed question is an `unknown` answer
 * with its reason). A provider that reports nothing about its deliveries has no such hook.
 */
export async function webhookHealth(
  account: AccountWithCredentials,
  endpoints: ProviderEndpoints,
): Promise<WebhookHealth> {
  const module = findModule(account.provider);
  if (!module?.webhookHealth) {
    return {
      state: 'unknown',
      note: `${module?.displayName ?? account.provider} reports nothing to the bridge: its refused deliveries show as webhook refusals in the api’s metrics and log`,
    };
  }
  try {
    return await module.webhookHealth({
      accountId: account.accountId,
      credentials: account.credentials,
      settings: settingsFor(account.provider, endpoints),
      expectedUrls: [],
      fetch: timedFetch,
    });
  } catch (error) {
    return { state: 'unknown', note: `could not ask ${account.provider}: ${messageOf(error)}` };
  }
}
