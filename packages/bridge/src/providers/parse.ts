import { z } from 'zod';
import { InvalidPayloadError } from './types.js';

/** A webhook body as JSON, or the 400 reason every provider gives for one that is not. */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new InvalidPayloadError('body is not valid JSON');
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * An id that becomes part of a Temporal workflow id: 1-256 characters of well-formed Unicode. Temporal refuses a
 * longer id, and a lone surrogate (invalid UTF-8 on the wire); either refusal would be a 5xx retried forever.
 */
export const workflowIdPart = () =>
  z
    .string()
    .min(1)
    .max(256)
    .refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode (a lone surrogate is not)');

/** A body of thousands of wrong items would list thousands of problems: the first few say what is wrong. */
const MAX_ISSUES = 5;
/** zod quotes what it received (an enum miss names the value), and a value may be 1 MiB long. */
const MAX_ISSUE_CHARS = 160;

/** One readable line per problem, each led by the field's path (under `at`, when given), the first few only. */
export function describeIssues(error: z.ZodError, at = ''): string {
  const lines = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = [at, ...issue.path].filter((part) => part !== '').join('.');
    const line = path ? `${path}: ${issue.message}` : issue.message;
    return line.length > MAX_ISSUE_CHARS ? `${line.slice(0, MAX_ISSUE_CHARS)}…` : line;
  });
  const more = error.issues.length - lines.length;
  return more > 0 ? `${lines.join('; ')}; and ${more} more` : lines.join('; ');
}
