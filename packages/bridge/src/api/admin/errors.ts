import { InspectError } from '../../inspect/index.js';
import { HttpError } from '../http-error.js';

/** Inspection errors carry their status; anything else becomes the error handler's 500. */
export function toHttpError(error: unknown): never {
  if (error instanceof InspectError) throw new HttpError(error.status, error.message, { cause: error });
  throw error;
}
