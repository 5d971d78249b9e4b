/** A clock the test moves by hand: the code under test reads `read()`, the test sets `now` (ms). */
export function manualClock(startMs: number) {
  const clock = { now: startMs, read: () => clock.now };
  return clock;
}
