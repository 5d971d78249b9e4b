import type { RequestHandler, Router } from 'express';
import type { Logger } from '../../logger.js';
import {
  DEFAULT_DEAD_LETTER_RETENTION,
  pruneDeadLetters,
  type DeadLetter,
  type DeadLetterRetention,
  type DeadLetterStore,
} from '../dead-letters.js';
import type { HubSpotEventOutcome } from '../hubspot-events.js';
import { HttpError } from '../http-error.js';

export interface DeadLetterAdminDeps {
  /** Undefined for a store without a dead-letter part: every dead-letter route then answers 503. */
  readonly store: DeadLetterStore | undefined;
  /** The webhook's own handling (hubSpotEventHandler), so a replay treats the event as a fresh delivery would. */
  readonly handleHubSpotEvent: (event: unknown) => Promise<HubSpotEventOutcome>;
  readonly logger: Logger;
  /** @default DEFAULT_DEAD_LETTER_RETENTION */
  readonly retention?: DeadLetterRetention;
  readonly now?: () => number;
}

/** What a successful replay answers; the letter is gone. */
export interface ReplayResult {
  readonly id: string;
  readonly replayed: true;
  readonly outcome: Exclude<HubSpotEventOutcome, { kind: 'unusable' }>;
}

/**
 * Re-runs a dead letter through the webhook's handling. Used: the letter is removed and the outcome returned. Unusable
 * again: the letter stays with the new reason and one more attempt, and HttpError(422) carries the reason. A start
 * Temporal refuses throws its HttpError(503) and leaves the letter as it was.
 */
export async function replayDeadLetter(
  deps: DeadLetterAdminDeps & { readonly store: DeadLetterStore },
  id: string,
): Promise<ReplayResult> {
  const letter = await deps.store.getDeadLetter(id);
  if (!letter) throw new HttpError(404, `no dead letter ${id}`);
  const outcome = await deps.handleHubSpotEvent(JSON.parse(letter.body) as unknown);
  const ids = { deadLetterId: id, type: letter.type, eventId: letter.eventId };
  if (outcome.kind === 'unusable') {
    await deps.store.noteDeadLetterReplayFailed(
      id,
      outcome.unusable.reason,
      new Date((deps.now ?? Date.now)()).toISOString(),
    );
    deps.logger.warn({ ...ids, reason: outcome.unusable.reason }, 'dead letter replayed: still unusable, kept');
    throw new HttpError(422, `still unusable: ${outcome.unusable.reason}`);
  }
  await deps.store.deleteDeadLetter(id);
  deps.logger.info({ ...ids, outcome }, 'dead letter replayed and removed');
  return { id, replayed: true, outcome };
}

/** The letter as an operator reads it: the body parsed back into the event. */
function withEvent({ body, ...letter }: DeadLetter): Omit<DeadLetter, 'body'> & { readonly event: unknown } {
  return { ...letter, event: JSON.parse(body) as unknown };
}

function limitOf(value: unknown): number {
  if (value === undefined) return 50;
  const limit = typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new HttpError(400, 'limit must be a whole number from 1 to 1000');
  return limit;
}

/**
 * `/admin/dead-letters`: list, read, replay and discard the webhook events the bridge could not use, behind `guard`.
 * Registered on the admin router whether or not the store keeps dead letters, so the OpenAPI document always matches.
 */
export function deadLetterRoutes(router: Router, guard: RequestHandler, deps: DeadLetterAdminDeps | undefined): void {
  const ready = () => {
    if (!deps?.store) throw new HttpError(503, 'dead letters are not kept: this store has no dead-letter part');
    return { ...deps, store: deps.store };
  };
  const prune = (d: ReturnType<typeof ready>) =>
    pruneDeadLetters(d.store, d.retention ?? DEFAULT_DEAD_LETTER_RETENTION, (d.now ?? Date.now)());

  router.get('/admin/dead-letters', guard, async function listDeadLetters(req, res) {
    const d = ready();
    const limit = limitOf(req.query.limit);
    await prune(d);
    res.json({ deadLetters: await d.store.listDeadLetters(limit) });
  });
  router.get('/admin/dead-letters/:id', guard, async function showDeadLetter(req, res) {
    const d = ready();
    await prune(d);
    const letter = await d.store.getDeadLetter(String(req.params.id));
    if (!letter) throw new HttpError(404, `no dead letter ${String(req.params.id)}`);
    res.json(withEvent(letter));
  });
  router.post('/admin/dead-letters/:id/replay', guard, async function replayAdminDeadLetter(req, res) {
    const d = ready();
    await prune(d);
    res.json(await replayDeadLetter(d, String(req.params.id)));
  });
  router.delete('/admin/dead-letters/:id', guard, async function discardDeadLetter(req, res) {
    const d = ready();
    if (!(await d.store.deleteDeadLetter(String(req.params.id))))
      throw new HttpError(404, `no dead letter ${String(req.params.id)}`);
    d.logger.info({ deadLetterId: String(req.params.id) }, 'dead letter discarded by an operator');
    res.status(204).end();
  });
}
