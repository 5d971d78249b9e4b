import { SHED_RETRY_AFTER_SECONDS, type Admission } from './admission.js';
import type { CatchUp } from './catch-up.js';
import { HttpError } from './http-error.js';

/**
 * Lets one webhook's work in, understood (verified and parsed) but not yet started, and returns the function to call
 * when it is done; or refuses it with a 503 and `Retry-After`. `lines` names the lines its messages would join.
 */
export type AdmitWebhook = (lines: () => readonly string[]) => Promise<() => void>;

/**
 * A shed webhook is a refusal like a Temporal one (src/api/app.ts, holdingLineOnRefusal): the lines its messages would
 * have joined are held before the 503 goes, so a later message of those conversations cannot overtake the sender's
 * retry (docs/ORDERING.md, "Catch-up"). Shedding after parsing costs a few tens of microseconds a webhook and holds
 * only those lines; shedding before would hold every line of the account. Work that joins no line (receipts, account
 * events) is never shed: its refusal would hold its whole account, or everyone, for the catch-up window.
 */
export function admitWebhooks(admission: Admission, catchUp: CatchUp | undefined): AdmitWebhook {
  return async function admitWebhook(lines) {
    const why = admission.refusal();
    const held = why === undefined ? [] : lines();
    if (why === undefined || held.length === 0) return admission.enter();
    await catchUp?.refusedLines(held, `shed: ${why}`);
    throw new HttpError(503, `the bridge is overloaded (${why}); retry later`, {
      retryAfterSeconds: SHED_RETRY_AFTER_SECONDS,
    });
  };
}
