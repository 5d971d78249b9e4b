import type { z } from 'zod';
import { validationError } from './errors.js';

/** Validates a request body and answers HubSpot's VALIDATION_ERROR shape with one entry per problem. */
export function parseOrThrow<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((i) => ({
    message: `${i.path.join('.') || 'body'}: ${i.message}`,
    in: i.path.join('.'),
  }));
  throw validationError(`Invalid input: ${errors.map((e) => e.message).join('; ')}`, errors);
}
