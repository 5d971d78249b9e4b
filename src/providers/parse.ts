import type { z } from 'zod';
import { InvalidPayloadError } from './types.js';

/** A webhook body as JSON, or the 400 reason every provider gives for one that is not. */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new InvalidPayloadError('body is not valid JSON');
  }
}

/** One readable line per problem, each led by the field's path (under `at`, when given). */
export function describeIssues(error: z.ZodError, at = ''): string {
  return error.issues
    .map((issue) => {
      const path = [at, ...issue.path].filter((part) => part !== '').join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
