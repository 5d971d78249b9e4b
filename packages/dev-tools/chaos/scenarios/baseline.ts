import type { Scenario } from '../scenario.js';

/** No faults: the same traffic on a healthy system, so every other row has something to be compared with. */
export const baseline: Scenario = {
  name: 'baseline',
  title: 'No faults (control)',
  async inject() {},
};
