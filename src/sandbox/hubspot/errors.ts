import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler } from 'express';

/** HubSpot's error body: `message`, `correlationId`, `category` required; `subCategory`, `errors[]` optional. */
export class HubSpotSandboxError extends Error {
  constructor(
    readonly status: number,
    readonly category: string,
    message: string,
    readonly subCategory?: string,
    readonly errors?: { message: string; in?: string; code?: string }[],
  ) {
    super(message);
  }

  toBody() {
    return {
      status: 'error',
      message: this.message,
      correlationId: randomUUID(),
      category: this.category,
      ...(this.subCategory ? { subCategory: this.subCategory } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const unauthorized = () =>
  new HubSpotSandboxError(
    401,
    'INVALID_AUTHENTICATION',
    'Authentication credentials not found. This API supports OAuth 2.0 authentication.',
  );

export const notFound = (what: string) => new HubSpotSandboxError(404, 'OBJECT_NOT_FOUND', `${what} not found`);

export const validationError = (message: string, errors?: { message: string; in?: string }[]) =>
  new HubSpotSandboxError(400, 'VALIDATION_ERROR', message, undefined, errors);

export function hubspotErrorHandler(): ErrorRequestHandler {
  return function handleSandboxError(error, _req, res, _next) {
    if (error instanceof HubSpotSandboxError) {
      res.status(error.status).json(error.toBody());
      return;
    }
    const parser = error as { type?: string };
    if (parser.type === 'entity.parse.failed') {
      res.status(400).json(validationError('Invalid input JSON on line 1').toBody());
      return;
    }
    res.status(500).json(new HubSpotSandboxError(500, 'INTERNAL_ERROR', 'internal error').toBody());
  };
}
