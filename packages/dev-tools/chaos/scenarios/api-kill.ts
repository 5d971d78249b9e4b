import type { ChaosContext, Scenario } from '../scenario.js';
import { refusedWebhooks } from './evidence.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * kill -9 of the api while webhooks are being handled (mid-request: some workflows started, some not yet queued in
 * their conversation, none answered); down 3 s each time. Every sender redelivers what got no 2xx.
 */
export const apiKill: Scenario = {
  name: 'api-kill',
  title: 'kill -9 of the api mid-request; senders redeliver',
  async inject({ world, system, traffic, size, note }: ChaosContext) {
    for (const share of size.conversations >= 30 ? [0.15, 0.35, 0.55, 0.75] : [0.2, 0.5, 0.8]) {
      await traffic.reached(share);
      await system.kill('api');
      note(`kill -9 api at ${Math.round(share * 100)} % of the traffic`);
      await sleep(3_000);
      await system.start('api');
      note('api started again');
    }
    await traffic.done;
    note(`failed webhook attempts, all redelivered: ${await refusedWebhooks(world)}`);
  },
};
