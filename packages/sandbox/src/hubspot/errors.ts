import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler } from 'express';

export interface HubSpotErrorDetail {
  message: string;
  in?: string;
  code?: string;
  subCategory?: string;
  context?: Record<string, unknown>;
}

/**
 * Thrown by routes and actions to answer with HubSpot's error body
 * (https://developers.hubspot.com/docs/api-reference/error-handling; required fields as in HubSpot's OpenAPI `Error`):
 * `message`, `correlationId`, `category` required; `subCategory`, `context`, `errors[]` optional.
 */
export class HubSpotSandboxError extends Error {
  constructor(
    readonly status: number,
    readonly category: string,
    message: string,
    readonly subCategory?: string,
    readonly errors?: HubSpotErrorDetail[],
    readonly context?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HubSpotSandboxError';
  }

  toBody() {
    return {
      status: 'error',
      message: this.message,
      correlationId: randomUUID(),
      category: this.category,
      ...(this.subCategory ? { subCategory: this.subCategory } : {}),
      ...(this.context ? { context: this.context } : {}),
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

export const invalidApiKey = () =>
  new HubSpotSandboxError(401, 'INVALID_AUTHENTICATION', 'The API key provided is invalid.');

export const expiredToken = (minutesAgo: number) =>
  new HubSpotSandboxError(
    401,
    'EXPIRED_AUTHENTICATION',
    `The OAuth token used to make this call expired ${minutesAgo} minute(s) ago.`,
  );

export const missingScopes = (required: string[]) =>
  new HubSpotSandboxError(
    403,
    'MISSING_SCOPES',
    "This app hasn't been granted all required scopes to make this call.",
    undefined,
    [
      {
        message: `One or more of the following scopes are required: ${required.join(', ')}`,
        context: { requiredGranularScopes: required },
      },
    ],
  );

export const notFound = (what: string) => new HubSpotSandboxError(404, 'OBJECT_NOT_FOUND', `${what} not found`);

export const conflict = (message: string, subCategory?: string) =>
  new HubSpotSandboxError(409, 'CONFLICT', message, subCategory);

export const validationError = (message: string, errors?: HubSpotErrorDetail[], subCategory?: string) =>
  new HubSpotSandboxError(400, 'VALIDATION_ERROR', message, subCategory, errors);

export function hubspotErrorHandler(): ErrorRequestHandler {
  return function handleSandboxError(error, _req, res, _next) {
    if (error instanceof HubSpotSandboxError) {
      res.status(error.status).json(error.toBody());
      return;
    }
    const parser = error as { type?: string; status?: number };
    if (parser.type === 'entity.parse.failed') {
      res.status(400).json(validationError('Invalid input JSON on line 1').toBody());
      return;
    }
    if (parser.type === 'entity.too.large') {
      res.status(413).json(new HubSpotSandboxError(413, 'VALIDATION_ERROR', 'Request entity too large').toBody());
      return;
    }
    res.status(500).json(new HubSpotSandboxError(500, 'INTERNAL_ERROR', 'internal error').toBody());
  };
}
