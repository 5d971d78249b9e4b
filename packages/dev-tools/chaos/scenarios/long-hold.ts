import { describeHeld, heldCount, setAccountActive, untilHeld, untilThreads } from '../accounts.js';
import type { ChaosContext, Scenario, ScenarioSize } from '../scenario.js';

/**
 * The Telegram account turned off for most of the run (15 % to 85 % of the traffic) while its customers keep writing
 * and its reps keep replying: every message of theirs is held, and once the account is on again each conversation
 * flushes in send order, nothing lost or sent twice. The other accounts carry on meanwhile.
 */
export const longHold: Scenario = {
  name: 'long-hold',
  title: 'An account turned off for most of the run while its customers keep writing',
  // The test's short run at a third of the rate, so the hold lasts tens of seconds rather than a few.
  resize: (size: ScenarioSize): ScenarioSize =>
    size.conversations >= 30 ? size : { ...size, ratePerSecond: Math.min(size.ratePerSecond, 4) },
  async inject({ world, system, traffic, note, measure }: ChaosContext) {
    const account = system.account('telegram').channelAccountId;
    await traffic.reached(0.15);
    await untilThreads(world, account);
    const offAt = Date.now();
    await setAccountActive(world, account, false);
    note(`Telegram account turned off; ${describeHeld(await untilHeld(world, account))} soon after`);
    await traffic.reached(0.5);
    note(`half way: ${describeHeld(await heldCount(world, account))}`);
    await traffic.reached(0.85);
    const held = await heldCount(world, account);
    measure('heldWhenTurnedOn', held.inbound + held.outbound);
    note(
      `Telegram account turned on after ${Math.round((Date.now() - offAt) / 1000)} s off, with ${describeHeld(held)}`,
    );
    await setAccountActive(world, account, true);
  },
};
