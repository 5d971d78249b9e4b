import { providerStorm } from '../faults.js';
import type { ChaosContext, Scenario } from '../scenario.js';
import type { World } from '../world.js';
import { refusedWebhooks } from './evidence.js';

/**
 * What the api answers a real, signed webhook while Temporal is away: WhatsApp replays its latest delivery every
 * 300 ms (a duplicate, so nothing new is sent; but the api must reach Temporal to know that).
 */
function probeAnswers(world: World) {
  const seen = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const { answers } = await providerStorm(world, 'whatsapp', 1, 1).catch((error: Error) => ({
        answers: { [error.message]: 1 },
      }));
      for (const [answer, n] of Object.entries(answers)) seen.set(answer, (seen.get(answer) ?? 0) + n);
      await new Promise((r) => setTimeout(r, 300));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return [...seen].map(([status, n]) => `${status} ×${n}`).join(', ');
  };
}

const DOWN_MS = 8_000;

/**
 * kill -9 of the Temporal dev server, 8 s down, and a start on the same SQLite database, twice, with traffic flowing.
 */
export const temporalRestart: Scenario = {
  name: 'temporal-restart',
  title: 'Temporal dev server restarted on its database',
  async inject({ world, system, traffic, note }: ChaosContext) {
    for (const share of [0.3, 0.65]) {
      await traffic.reached(share);
      const stop = probeAnswers(world);
      const started = Date.now();
      await system.restartTemporal('SIGKILL', DOWN_MS);
      note(
        `Temporal killed at ${Math.round(share * 100)} % of the traffic, left down ${DOWN_MS / 1000} s, serving again after ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      await new Promise((r) => setTimeout(r, 2_000));
      note(`a signed webhook replayed every 300 ms meanwhile got: ${await stop()}`);
    }
    await traffic.done;
    note(`failed webhook attempts, all redelivered: ${await refusedWebhooks(world)}`);
  },
};
