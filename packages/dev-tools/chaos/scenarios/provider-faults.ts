import type { ProviderKind } from '../../../bridge/src/domain/ids.js';
import { hubspotStorm, providerFault, providerStorm } from '../faults.js';
import type { ChaosContext, Scenario } from '../scenario.js';

const PROVIDERS: readonly ProviderKind[] = ['telegram', 'whatsapp', 'generic'];

/**
 * Providers failing a share of the bridge's sends (5xx, 429 with a retry-after) and refusing three for good (a
 * blocked bot: FAILED with the reason); meanwhile every sender replays its recent webhooks in storms, duplicated and
 * shuffled, HubSpot's rep-reply webhooks included.
 */
export const providerFaults: Scenario = {
  name: 'provider-faults',
  title: 'providers failing sends; webhook storms, duplicated and out of order',
  async inject({ world, traffic, note }: ChaosContext) {
    await traffic.reached(0.1);
    // First in Telegram's list, so its 403 wins over a share fault firing on the same call: exactly 3 FAILED.
    await providerFault(world, 'telegram', { type: 'blocked', method: 'sendMessage', times: 3 });
    await providerFault(world, 'telegram', { type: 'server_error', method: 'sendMessage', share: 0.15, status: 502 });
    await providerFault(world, 'telegram', { type: 'rate_limit', method: 'sendMessage', share: 0.1, retry_after: 1 });
    await providerFault(world, 'whatsapp', { kind: 'server_error', share: 0.15, scope: 'messages' });
    await providerFault(world, 'whatsapp', { kind: 'rate_limit', share: 0.1, scope: 'messages' });
    await providerFault(world, 'generic', { status: 503, share: 0.2 });
    note('Telegram: the next 3 sends refused for good (bot blocked)');
    note('sends failing: Telegram 15 % 502 + 10 % 429, WhatsApp 15 % 503 + 10 % 130429, generic 20 % 503');
    for (const share of [0.3, 0.55, 0.8]) {
      await traffic.reached(share);
      const storms = await Promise.all(PROVIDERS.map((p) => providerStorm(world, p, 40, 3)));
      const hubspot = await hubspotStorm(world, 20, 3);
      note(
        `storm at ${Math.round(share * 100)} %: ${PROVIDERS.map((p, i) => `${p} ${storms[i]!.replayed} copies (${answers(storms[i]!.answers)})`).join(', ')}, HubSpot ${hubspot.replayed} rep-reply webhooks`,
      );
    }
  },
};

const answers = (a: Record<string, number>) =>
  Object.entries(a)
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');
