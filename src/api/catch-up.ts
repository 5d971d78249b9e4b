import type { RequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';
import type { ApiPresenceStore } from '../store/sqlite/api-presence.js';

const DELIBERATE_REFUSAL = 'deliberateRefusal';

/** Marks this answer's 503 as a deliberate refusal of one account's webhook, not an outage (see refusalWatcher). */
export function markDeliberateRefusal(res: Response, why: string): void {
  res.locals[DELIBERATE_REFUSAL] = why;
}

/** How often a running api records that it is alive; a longer silence means no api was taking webhooks. */
export const PRESENCE_INTERVAL_MS = 1_000;
const SILENCE_MS = 2 * PRESENCE_INTERVAL_MS;

/**
 * After the senders met a closed door (a 503, or no api at all), each retries its webhooks on its own schedule, so a
 * later message can arrive before an earlier one that is still waiting for its retry. For `windowMs` after such an
 * outage, every accepted message is held until the window closes before it takes its place in its conversation's
 * order: the stragglers arrive meanwhile, and each conversation is then published in the order its sender stamped
 * (docs/RELIABILITY.md, "Order"). Outside a catch-up nothing waits.
 */
export class CatchUpWindow {
  private closesAt = 0;

  constructor(
    readonly windowMs: number,
    private readonly logger?: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Opens the window (or keeps it open) from now on. */
  open(reason: string): void {
    if (this.windowMs <= 0) return;
    const wasOpen = this.holdUntil() !== undefined;
    this.closesAt = Math.max(this.closesAt, this.now() + this.windowMs);
    if (!wasOpen) this.logger?.warn({ reason, holdMs: this.windowMs }, 'senders are catching up: holding accepted messages so their retries land in order');
  }

  /** Epoch ms until which a message accepted now waits; undefined outside a catch-up. */
  holdUntil(): number | undefined {
    return this.now() < this.closesAt ? this.closesAt : undefined;
  }

  /**
   * A 503 to a webhook (Temporal or the store unavailable): its sender retries it later, possibly after the messages
   * that follow it. Not a 500: that is a bug in handling one input, and its endless retries would hold everyone.
   */
  refusalWatcher(): RequestHandler {
    return (req, res, next) => {
      res.on('finish', () => {
        // A deliberate 503 (markDeliberateRefusal: a connection HubSpot has not created yet) is no outage: the
        // other accounts' senders were never refused, so nobody else waits.
        if (res.statusCode === 503 && req.path.startsWith('/webhooks/') && !res.locals[DELIBERATE_REFUSAL]) this.open('a webhook was answered 503');
      });
      next();
    };
  }

  /**
   * Opens the window when this api starts after a silence (no api was alive for a while, so senders were refused),
   * then keeps the store's presence fresh. Returns the stop function for shutdown. `afterSilence: false` when the
   * senders start together with this api (`npm start`'s sandbox), so none has a retry pending.
   */
  async watchPresence(store: ApiPresenceStore, { afterSilence = true } = {}): Promise<() => void> {
    const lastAlive = await store.apiLastAlive();
    const startedAt = this.now();
    if (afterSilence && lastAlive !== undefined && startedAt - lastAlive > SILENCE_MS) this.open(`no api was taking webhooks for ${Math.round((startedAt - lastAlive) / 1000)} s`);
    await store.markApiAlive(startedAt);
    const timer = setInterval(() => {
      store.markApiAlive(this.now()).catch((error: unknown) => this.logger?.warn({ err: error }, 'could not record that the api is alive'));
    }, PRESENCE_INTERVAL_MS);
    timer.unref();
    return () => clearInterval(timer);
  }
}
