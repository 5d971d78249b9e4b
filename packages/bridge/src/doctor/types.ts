import { settleWithin } from '../net/settle-within.js';

/** What one check concluded. `skip`: the check could not run here (a missing prerequisite, or nothing to read). */
export const CHECK_STATUSES = ['pass', 'fail', 'warn', 'skip'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** One line of the doctor's report. Never holds a secret: every text passes through the redactor before it is shown. */
export interface CheckResult {
  /** Stable and machine-readable, e.g. `temporal.namespace` or `hubspot.portal:2139099`. */
  readonly id: string;
  /** What was checked, in a few words. */
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found. */
  readonly detail: string;
  /** What to do about it; set whenever the status is `fail` or `warn`. */
  readonly fix?: string;
}

export interface DoctorReport {
  /** True when no check failed (warnings and skips do not count). */
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
  readonly summary: Readonly<Record<CheckStatus, number>>;
}

export const pass = (id: string, title: string, detail: string): CheckResult => ({ id, title, status: 'pass', detail });
export const fail = (id: string, title: string, detail: string, fix: string): CheckResult => ({
  id,
  title,
  status: 'fail',
  detail,
  fix,
});
export const warn = (id: string, title: string, detail: string, fix: string): CheckResult => ({
  id,
  title,
  status: 'warn',
  detail,
  fix,
});
export const skip = (id: string, title: string, detail: string, fix?: string): CheckResult => ({
  id,
  title,
  status: 'skip',
  detail,
  ...(fix ? { fix } : {}),
});

/** A thrown value's message only: never its cause, whose fields (a request URL, headers) may hold a secret. */
export const messageOf = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

/** Rejects when `promise` has not settled within `ms`: for clients that take no timeout of their own. */
export function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  return settleWithin(promise, ms, () => new Error(`${what} did not answer within ${ms / 1000} s`));
}
