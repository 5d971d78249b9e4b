import { ProviderError } from '../types.js';
import type { GraphErrorBody } from './wire-types.js';

/**
 * What WhatsApp's error codes mean to a support rep, in their words. Codes from Meta's error-code
 * reference (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
 */
const REASONS: Readonly<Record<number, string>> = {
  131047: "outside WhatsApp's 24-hour window: the customer must write first, or use a template",
  // Meta's business-scoped user IDs page: BSUID recipients are not supported for this message (e.g. authentication
  // templates).
  131062:
    'WhatsApp does not take this message for a customer known only by their username (business-scoped user id); it needs their phone number',
  131026:
    'WhatsApp could not deliver it: the number is not on WhatsApp, uses an old app version, or has not accepted the terms',
  131051: 'WhatsApp does not support this message type',
  131008: 'WhatsApp rejected the message: a required field is missing',
  131009: 'WhatsApp rejected the message: a field has an invalid value',
  131021: 'the recipient is the business number itself',
  131052: 'WhatsApp could not download the media the customer sent',
  131053: 'WhatsApp could not process the uploaded media (format or size)',
  131042: 'the WhatsApp Business account has a payment problem',
  131049: 'WhatsApp chose not to deliver it to keep engagement healthy; try again later',
  131050: 'the customer has stopped marketing messages from this business',
  130472: "the customer's number is part of an experiment and did not receive it",
  131056: 'too many messages to this customer in a short time (WhatsApp pair rate limit)',
  131048:
    'WhatsApp is limiting how many messages this number may send (spam rate limit: too many earlier messages were blocked or reported); check its quality in WhatsApp Manager',
  131057: 'the WhatsApp Business account is in maintenance mode',
  131031: 'the WhatsApp Business account is locked: see WhatsApp Manager',
  368: 'the WhatsApp Business account is temporarily blocked for a policy violation',
  130429: 'WhatsApp throughput limit reached for this number',
  131000: 'WhatsApp had an internal error',
  131016: 'WhatsApp is temporarily unavailable',
  100: 'WhatsApp rejected a parameter of the request',
  4: 'the app hit its WhatsApp API call limit',
  80007: 'the WhatsApp Business account hit its rate limit',
  2: 'WhatsApp is temporarily unavailable',
  0: 'WhatsApp refused the credentials: reconnect the account',
  3: 'the app is not allowed to use this WhatsApp capability',
  10: 'the access token lacks the permission for this WhatsApp action',
  190: 'the WhatsApp access token has expired or is invalid: reconnect the account',
};

/** Codes a retry can fix, with the delay to wait when the response does not say. */
const RETRY_AFTER_SECONDS: Readonly<Record<number, number>> = {
  130429: 2,
  131056: 6,
  // Throttling errors in Meta's table: the restriction lifts with time, so they back off and retry within the reply's
  // window.
  131048: 60,
  131057: 60,
  4: 60,
  80007: 60,
  131000: 5,
  131016: 5,
  2: 5,
};

/**
 * How long to wait before sending a message again whose `failed` status carried this code, when a later try can
 * succeed: throttling and Meta's own transient errors (the error-code reference's "retry" advice). Undefined for a
 * final
 * failure. 131056 (pair rate limit) and 131057 (maintenance) lift with time as well.
 */
export function resendDelaySecondsFor(code: number | string | undefined): number | undefined {
  const n = typeof code === 'string' ? Number(code) : code;
  return n !== undefined && Number.isInteger(n) && n !== 131047 ? RETRY_AFTER_SECONDS[n] : undefined;
}

const REFUSED_REQUEST = new Set([100, 131008, 131009, 131053]);

const isAuthCode = (code: number) =>
  code === 0 || code === 3 || code === 10 || code === 190 || (code >= 200 && code <= 299);

/** A reason a rep can read for a WhatsApp error code, with Meta's own words as a fallback. */
export function reasonForCode(code: number | undefined, fallback?: string): string {
  if (code !== undefined && REASONS[code]) return REASONS[code]!;
  if (code !== undefined && isAuthCode(code))
    return 'WhatsApp refused the credentials or permissions: reconnect the account';
  return fallback ? `WhatsApp: ${fallback}` : 'WhatsApp reported an unknown error';
}

/** The reason for a `failed` status: `errors[0]` of the status, read through the code table. */
export function reasonForStatusError(
  error: { code?: number; title?: string; message?: string; error_data?: { details?: string } } | undefined,
): string {
  if (!error) return 'WhatsApp reported the message as failed without a reason';
  const detail = error.error_data?.details ?? error.message ?? error.title;
  const reason = reasonForCode(error.code, detail);
  return error.code === undefined ? reason : `${reason} (${error.code})`;
}

function parseRetryAfter(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * Turns a failed Graph call into a ProviderError. Graph's `code` and `is_transient` decide, not the
 * HTTP status: Meta answers most errors with 400 whatever their nature.
 */
export function graphError(
  status: number,
  body: GraphErrorBody | undefined,
  retryAfterHeader?: string | null,
): ProviderError {
  const error = body?.error;
  const code = error?.code;
  const details = error?.error_data?.details ?? error?.error_user_msg;
  const base = reasonForCode(code, error?.message ?? `HTTP ${status}`);
  // Meta's details name the offending parameter: worth showing for a request it refused.
  const reason =
    details && code !== undefined && REFUSED_REQUEST.has(code) ? `${base}: ${details.slice(0, 300)}` : base;
  const retryAfter = parseRetryAfter(retryAfterHeader);
  const known = code !== undefined ? RETRY_AFTER_SECONDS[code] : undefined;
  const retryable =
    known !== undefined || error?.is_transient === true || status === 429 || (status >= 500 && !isFinal(code));
  return new ProviderError(code === undefined ? reason : `${reason} (${code})`, {
    retryable,
    retryAfterSeconds: retryable ? (retryAfter ?? known ?? 5) : undefined,
    code: code ?? status,
    cause: error,
  });
}

function isFinal(code: number | undefined): boolean {
  return (
    code !== undefined && (isAuthCode(code) || [131047, 131026, 100, 131008, 131051, 131009, 131062].includes(code))
  );
}
