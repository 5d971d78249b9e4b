import { isGrpcServiceError } from '@temporalio/client';
import { HttpError } from './http-error.js';

// gRPC INVALID_ARGUMENT: Temporal refuses this very input (an id, a search attribute or a payload over its limits).
const INVALID_ARGUMENT = 3;

function grpcCause(error: unknown): { code: number; details: string } | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e)) return { code: e.code, details: e.details };
  }
  return undefined;
}

/**
 * What the sender hears when Temporal did not take a start. An input Temporal will never accept is a 422 with its
 * reason: a 503 would have the sender retry it for days, and hold every message behind a catch-up window
 * (src/api/catch-up.ts) all that time. Anything else (unreachable, deadline, overloaded) is a 503, and the sender's
 * retry finds Temporal back.
 */
export function startRefusal(error: unknown): HttpError {
  const grpc = grpcCause(error);
  if (grpc?.code === INVALID_ARGUMENT)
    return new HttpError(422, `the workflow engine refuses this message: ${grpc.details}`, { cause: error });
  return new HttpError(503, 'the workflow engine is unavailable; retry later', { cause: error });
}
