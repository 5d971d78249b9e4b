import { randomBytes } from 'node:crypto';
import type { ErrorRequestHandler, Response } from 'express';

/** Thrown by a route to answer with Graph's error body: `{error: {message, type, code, ..., fbtrace_id}}`. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly extra: {
      readonly error_subcode?: number;
      readonly is_transient?: boolean;
      readonly details?: string;
      readonly type?: string;
    } = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export function sendGraphError(res: Response, error: GraphError): void {
  res.status(error.status).json({
    error: {
      message: error.message,
      type: error.extra.type ?? 'OAuthException',
      code: error.code,
      ...(error.extra.error_subcode !== undefined ? { error_subcode: error.extra.error_subcode } : {}),
      ...(error.extra.is_transient !== undefined ? { is_transient: error.extra.is_transient } : {}),
      ...(error.extra.details ? { error_data: { messaging_product: 'whatsapp', details: error.extra.details } } : {}),
      fbtrace_id: randomBytes(9).toString('base64'),
    },
  });
}

export const invalidParameter = (details: string) => new GraphError(400, 100, '(#100) Invalid parameter', { details });
export const unknownObject = (id: string) =>
  new GraphError(
    400,
    100,
    `Unsupported request - method type: get. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
    { type: 'GraphMethodException', error_subcode: 33 },
  );
export const mediaUploadError = (details: string) =>
  new GraphError(400, 131053, '(#131053) Media upload error', { details });

/** Turns GraphError (and JSON parse errors) into Graph's body; anything else is a 500 as Graph would. */
export function graphErrorHandler(): ErrorRequestHandler {
  return function whatsappError(error: unknown, _req, res, _next) {
    if (error instanceof GraphError) return sendGraphError(res, error);
    if ((error as { type?: string }).type === 'entity.parse.failed')
      return sendGraphError(res, invalidParameter('The request body is not valid JSON'));
    if ((error as { type?: string }).type === 'entity.too.large')
      return sendGraphError(res, new GraphError(413, 100, '(#100) Request body too large'));
    sendGraphError(
      res,
      new GraphError(500, 1, 'An unknown error has occurred.', {
        is_transient: true,
        details: (error as Error).message,
      }),
    );
  };
}
