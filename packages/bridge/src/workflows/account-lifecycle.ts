import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BridgeActivities } from '../activities/index.js';
import { accountEventSignal, type AccountEvent } from './account-signals.js';

const { syncChannelAccount, purgeChannelAccount, signalHeldMessages } = proxyActivities<BridgeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['HubSpotRejected', 'NotConfigured'],
  },
});

/**
 * One account's lifecycle events, one at a time and in arrival order, so "off" then "on" cannot cross.
 * Each event only triggers a re-read: HubSpot's current record decides (connected, on/off, moved, removed).
 * Ends after a quiet minute; the next event starts it again.
 */
export async function accountLifecycleWorkflow(): Promise<string[]> {
  const queue: AccountEvent[] = [];
  const outcomes: string[] = [];
  setHandler(accountEventSignal, (event) => void queue.push(event));
  for (;;) {
    if (!(await condition(() => queue.length > 0, '1 minute'))) return outcomes;
    const event = queue.shift()!;
    // The event's type lets a PURGED account that HubSpot no longer returns at all be purged; others are kept.
    const synced = await syncChannelAccount(event.portalId, event.accountId, event.type);
    if (synced.outcome === 'removed') {
      await purgeChannelAccount(event.accountId);
      await signalHeldMessages(event.accountId, { authorized: false, removed: true });
    } else if (synced.outcome !== 'unknown' && synced.authorized) {
      // Turned (back) on, or just connected: anything held resumes and flushes.
      await signalHeldMessages(event.accountId, { authorized: true, removed: false });
    }
    outcomes.push(
      `${event.type}: ${synced.outcome}${synced.outcome === 'removed' ? '' : synced.authorized ? ' (on)' : ' (off)'}`,
    );
  }
}
