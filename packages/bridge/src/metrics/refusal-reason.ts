import type { Response } from 'express';

/** The refusal an answer carried (status and the reason the sender read), as the error handler gave it. */
export interface Refusal {
  readonly status: number;
  readonly reason: string;
}

const REFUSAL = 'metricsRefusal';

/** Called by the error handler, the one place a refusal becomes an answer, so the metrics can say what happened. */
export function noteRefusal(res: Response, refusal: Refusal): void {
  res.locals[REFUSAL] = { status: refusal.status, reason: refusal.reason } satisfies Refusal;
}

function notedRefusal(res: Response): Refusal | undefined {
  return res.locals[REFUSAL] as Refusal | undefined;
}

/**
 * Each label, the status it goes with and the reason text that names it. The texts are the api's own answers
 * (src/api/**: HttpError reasons); test/metrics/refusal-reason.test.ts drives each through the real app, so a reworded
 * answer shows up there rather than as a silently wrong label. First match wins; an unmatched status falls back below.
 */
const LABELS: readonly { readonly status: number; readonly match: RegExp; readonly label: string }[] = [
  {
    status: 503,
    match: /workflow engine is unavailable|account event could not be recorded/,
    label: 'temporal-unavailable',
  },
  { status: 503, match: /store is unavailable/, label: 'store-unavailable' },
  { status: 503, match: /the bridge is overloaded/, label: 'overloaded' },
  { status: 503, match: /waiting for HubSpot to create its channel account/, label: 'connection-pending' },
  { status: 503, match: /not configured/, label: 'not-configured' },
  { status: 422, match: /workflow engine refuses/, label: 'temporal-refused' },
  { status: 404, match: /^unknown provider/, label: 'unknown-provider' },
  { status: 404, match: /^no \S+ (account|connection) /, label: 'unknown-account' },
  { status: 404, match: /^no route/, label: 'no-route' },
  { status: 401, match: /signature/, label: 'bad-signature' },
  { status: 403, match: /handshake/, label: 'handshake-refused' },
  { status: 400, match: /aborted/, label: 'aborted' },
  { status: 400, match: /length does not match/, label: 'bad-length' },
  { status: 415, match: /content-encoding/, label: 'compressed-body' },
];

const BY_STATUS: Record<number, string> = {
  400: 'malformed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'too-large',
  415: 'unsupported-content-type',
  422: 'unprocessable',
  429: 'rate-limited',
  500: 'server-error',
  503: 'unavailable',
};

/** What a refused answer means, as a bounded label: from the reason the api gave when there is one, else its status. */
export function refusalReason(status: number, refusal?: Refusal): string {
  const text = refusal?.status === status ? refusal.reason : undefined;
  const labelled = text === undefined ? undefined : LABELS.find((l) => l.status === status && l.match.test(text));
  return labelled?.label ?? BY_STATUS[status] ?? (status >= 500 ? 'server-error' : 'other');
}

/** The label for the answer `res` sent. */
export function refusalReasonOf(res: Response): string {
  return refusalReason(res.statusCode, notedRefusal(res));
}
