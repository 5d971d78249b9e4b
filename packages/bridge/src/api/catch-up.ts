import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';
import { accountHoldKey, EVERYONE_HOLD_KEY, type SequencerStore } from '../store/sequencer-types.js';
import type { ApiPresenceStore } from '../store/sqlite/api-presence.js';

const DELIBERATE_REFUSAL = 'deliberateRefusal';

/** Marks this answer's 503 as a deliberate refusal of one account's webhook, not an outage (see refusalWatcher). */
export function markDeliberateRefusal(res: Response, why: string): void {
  res.locals[DELIBERATE_REFUSAL] = why;
}

/** How often a running api records that it is alive; a longer silence means no api was taking webhooks. */
export const PRESENCE_INTERVAL_MS = 1_000;
const SILENCE_MS = 2 * PRESENCE_INTERVAL_MS;
/** A hold this process wrote is written again by a later refusal only once it is this much older (a window's end). */
const HOLD_REFRESH_MS = 1_000;
/** Holds remembered as written before the ended ones are dropped. */
const MAX_REMEMBERED = 10_000;

type CatchUpStore = Pick<SequencerStore, 'holdLines'> & ApiPresenceStore;

/** The lines a webhook being handled would have joined, named by the handler as it is refused. */
const requestLines = new AsyncLocalStorage<{ keys: string[] }>();

/**
 * After a sender met a closed door (a 503, or no api at all), it retries its webhooks on its own schedule, so a later
 * message can arrive before an earlier one still waiting for its retry. For `windowMs` after such a refusal, the lines
 * that sender's retries come back to are held in the store: no message takes a new turn in them until the window
 * closes, so the stragglers arrive meanwhile and each line goes in the order its sender stamped (docs/ORDERING.md).
 *
 * Only what was refused is held, and every api process sees it (the holds are in the store):
 * - a webhook this api parsed, then refused: the line it would have joined;
 * - a webhook refused before it was understood (the store was down while verifying it): its account's lines;
 * - no api alive at all: everyone's lines, the one case where nobody could see which senders were refused.
 * A deliberate refusal (a connection HubSpot has not created yet, markDeliberateRefusal) holds nothing.
 */
export class CatchUp {
  /** Holds the store could not take yet (it was down: often the very cause of the 503), kept until it can. */
  private readonly pending = new Map<string, number>();
  /** Until when this process last wrote each hold: a refusal storm on a line writes it once a refresh, not per 503. */
  private readonly written = new Map<string, number>();

  constructor(
    readonly windowMs: number,
    private readonly store: CatchUpStore,
    private readonly logger?: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The webhook being handled is refused (503) after it was understood: holds the line it would have joined before
   * the answer goes, so a later message of that line accepted meanwhile cannot take the turn ahead of its retry.
   */
  async refusedLine(key: string, reason: string): Promise<void> {
    await this.refusedLines([key], reason);
  }

  /** As refusedLine, for a webhook whose messages would have joined several lines (one shed whole: shed-webhook.ts). */
  async refusedLines(keys: readonly string[], reason: string): Promise<void> {
    requestLines.getStore()?.keys.push(...keys);
    await this.hold(keys, reason);
  }

  /**
   * Holds these lines from now for the window (or keeps them held); waits until the store has them, or keeps them for
   * later.
   */
  async hold(keys: readonly string[], reason: string): Promise<void> {
    if (this.windowMs <= 0 || keys.length === 0) return;
    const until = this.now() + this.windowMs;
    // A hold written less than a refresh ago already runs nearly as long: the store is spared a write per refusal.
    const fresh = keys.filter((key) => (this.written.get(key) ?? 0) < until - HOLD_REFRESH_MS);
    if (fresh.length === 0) return;
    for (const key of fresh) this.pending.set(key, Math.max(this.pending.get(key) ?? 0, until));
    this.logger?.warn(
      { reason, lines: fresh, holdMs: this.windowMs },
      'a sender is catching up: holding its lines so its retries land in order',
    );
    await this.flush();
  }

  /** Writes the holds the store has not taken yet. */
  async flush(): Promise<void> {
    for (const [key, until] of [...this.pending]) {
      try {
        await this.store.holdLines([key], until, this.now());
        if (this.pending.get(key) === until) this.pending.delete(key);
        this.remember(key, until);
      } catch (error) {
        this.logger?.warn({ err: error, line: key }, 'could not record a catch-up hold yet; will try again');
        return;
      }
    }
  }

  private remember(key: string, until: number): void {
    this.written.set(key, Math.max(this.written.get(key) ?? 0, until));
    if (this.written.size <= MAX_REMEMBERED) return;
    const now = this.now();
    for (const [k, u] of this.written) if (u <= now) this.written.delete(k);
  }

  /**
   * A 503 to a webhook (Temporal or the store unavailable): its sender retries it later, possibly after the messages
   * that follow it. Not a 500: that is a bug in handling one input, and its endless retries would hold everyone.
   */
  refusalWatcher(): RequestHandler {
    return (req, res, next) => {
      if (!req.path.startsWith('/webhooks/')) return next();
      const named = { keys: [] as string[] };
      res.on('finish', () => {
        // A refusal that named its line (refusedLine) is held already.
        if (res.statusCode !== 503 || res.locals[DELIBERATE_REFUSAL] || named.keys.length > 0) return;
        void this.hold(refusedAccountLines(req.path), `a webhook was answered 503 (${req.path})`);
      });
      requestLines.run(named, next);
    };
  }

  /**
   * Holds everyone's lines when this api starts after a silence (no api was alive for a while, so senders were
   * refused), then keeps the store's presence fresh and retries holds the store could not take. Returns the stop
   * function for shutdown. `afterSilence: false` when the senders start together with this api (`npm start`'s
   * sandbox), so none has a retry pending.
   */
  async watchPresence({ afterSilence = true } = {}): Promise<() => void> {
    const lastAlive = await this.store.apiLastAlive();
    const startedAt = this.now();
    if (afterSilence && lastAlive !== undefined && startedAt - lastAlive > SILENCE_MS) {
      await this.hold(
        [EVERYONE_HOLD_KEY],
        `no api was taking webhooks for ${Math.round((startedAt - lastAlive) / 1000)} s`,
      );
    }
    await this.store.markApiAlive(startedAt);
    const timer = setInterval(() => {
      this.store
        .markApiAlive(this.now())
        .catch((error: unknown) => this.logger?.warn({ err: error }, 'could not record that the api is alive'));
      if (this.pending.size > 0) void this.flush();
    }, PRESENCE_INTERVAL_MS);
    timer.unref();
    return () => clearInterval(timer);
  }
}

/** `/webhooks/{provider}/{accountId}`: the account whose sender was refused; a webhook without one holds everyone. */
function refusedAccountLines(path: string): string[] {
  const [, , provider, accountId] = path.split('/');
  return provider && provider !== 'hubspot' && accountId
    ? [accountHoldKey(decodeURIComponent(accountId))]
    : [EVERYONE_HOLD_KEY];
}
