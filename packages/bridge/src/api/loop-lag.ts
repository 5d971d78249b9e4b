import { performance } from 'node:perf_hooks';

/** How often the loop is looked at: a turn this long is no backlog, and a timer this frequent costs next to nothing. */
const CHECK_EVERY_MS = 20;

/**
 * How late this process's event loop runs. A webhook that has reached the kernel but not yet this loop is invisible to
 * the api (src/api/admission.ts counts only the webhooks it has read), and that is where a flood waits once the api is
 * out of CPU: every turn of the loop then takes longer, and a timer that should fire every 20 ms fires as late as the
 * newest arrival waits. So a timer's lateness is read as that wait.
 */
export class LoopLag {
  private lastLateMs = 0;
  private nextDueAt: number;

  constructor(
    private readonly everyMs = CHECK_EVERY_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.nextDueAt = this.now() + everyMs;
  }

  /** Looks at the loop every `everyMs` from now; returns the stop function. The timer never keeps the process up. */
  start(): () => void {
    this.nextDueAt = this.now() + this.everyMs;
    const timer = setInterval(() => this.checked(), this.everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** The timer's own step, public for tests that drive a fake clock. */
  checked(): void {
    const now = this.now();
    this.lastLateMs = Math.max(0, now - this.nextDueAt);
    // Node re-arms an interval from when its callback ran, not from when it was due.
    this.nextDueAt = now + this.everyMs;
  }

  /**
   * How late the loop runs at this moment: the last check's lateness, as long as the loop has been as late since (the
   * next check is overdue by as much). One long task (a large body parsed, a pause for garbage) makes one check late
   * and is over by the next one, so it reads 0; a loop with a queue in front of it is late at every check.
   */
  lateMs(): number {
    const overdue = this.now() - this.nextDueAt;
    return overdue > 0 ? Math.round(Math.min(this.lastLateMs, overdue)) : 0;
  }
}
