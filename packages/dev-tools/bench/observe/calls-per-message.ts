import { round } from '../stats.js';

export interface CallsPerMessage {
  readonly calls: number;
  readonly messages: number;
  /** calls ÷ messages; 0 when no message was published in the window. */
  readonly perMessage: number;
}

/**
 * HubSpot calls per published message at steady state: counted from the `warmup`-th publish (by then every
 * conversation of the run has its thread, whose creation is a one-off) to the last one, calls and publishes alike.
 */
export function steadyCallsPerMessage(
  callTimes: readonly number[],
  publishTimes: readonly number[],
  warmup: number,
): CallsPerMessage {
  const publishes = [...publishTimes].sort((a, b) => a - b);
  if (publishes.length <= warmup + 1) return { calls: 0, messages: 0, perMessage: 0 };
  const from = publishes[warmup]!;
  const to = publishes.at(-1)!;
  const calls = callTimes.filter((t) => t > from && t <= to).length;
  const messages = publishes.filter((t) => t > from && t <= to).length;
  return { calls, messages, perMessage: round(calls / Math.max(1, messages), 3) };
}
