import { isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { MessageStore } from '../store/messages-store.js';
import { InspectError, TemporalUnavailable } from './errors.js';

/** What every inspection function needs: a Temporal client and where Temporal's UI is, for links. */
export interface InspectContext {
  readonly client: Client;
  readonly namespace: string;
  /** e.g. http://localhost:8233 */
  readonly uiUrl: string;
  /**
   * The store's message mappings: an inbound message of version 3 sets no HubSpotMessageId, so it is found by that id
   * here, and lists name it from here. Without it (the CLI, which talks to Temporal only) visibility alone is read.
   */
  readonly mappings?: Pick<MessageStore, 'findMessage' | 'findMessageKeys'>;
}

export function uiLink(ctx: InspectContext, workflowId: string, runId?: string): string {
  const base = `${ctx.uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(ctx.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}` : base;
}

// gRPC status codes: DEADLINE_EXCEEDED 4, INTERNAL 13, UNAVAILABLE 14.
const UNREACHABLE = new Set<number>([4, 13, 14]);

/** Turns "cannot reach Temporal" into one error type; everything else passes through. */
export function classify(error: unknown): unknown {
  if (error instanceof WorkflowNotFoundError || error instanceof InspectError) return error;
  if (isGrpcServiceError(error) && UNREACHABLE.has(error.code)) return new TemporalUnavailable(error);
  const cause = (error as { cause?: unknown }).cause;
  if (isGrpcServiceError(cause) && UNREACHABLE.has(cause.code)) return new TemporalUnavailable(cause);
  if (error instanceof Error && /connect|ECONNREFUSED|unavailable|deadline/i.test(error.message))
    return new TemporalUnavailable(error);
  return error;
}
