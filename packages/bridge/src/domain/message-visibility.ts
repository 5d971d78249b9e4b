/**
 * What a message's search attributes no longer say, derived in one place for every reader (console, admin API, CLI,
 * metrics). Since inboundMessageWorkflowV3 a message sets only what finding it needs (docs/INBOUND.md, "Search
 * attributes"): each attribute set or upserted costs the Temporal server a visibility write per message.
 * - Direction: the workflow type says it (runs before V3 also had BridgeDirection; the type covers them too).
 * - Status: a V3 run that published completes without an upsert, so BridgeStatus stays ACCEPTED on a Completed run.
 *   Every other way a V3 run ends upserts its own status (FAILED), or is not Completed.
 */
import { MessageStatus } from './signals.js';
import { INBOUND_WORKFLOW_TYPES, OUTBOUND_WORKFLOW_TYPES } from './workflow-types.js';

export type MessageDirection = 'inbound' | 'outbound';

/** The inbound types whose published runs leave BridgeStatus at ACCEPTED (the run's completion says PUBLISHED). */
export const PUBLISHED_ON_COMPLETION_TYPES: readonly string[] = [
  'inboundMessageWorkflowV4',
  'inboundMessageWorkflowV3',
];

const anyType = (types: readonly string[]) => `(${types.map((type) => `WorkflowType = "${type}"`).join(' OR ')})`;

/** The visibility clause for every message workflow of one direction, by workflow type. */
export function directionClause(direction: MessageDirection): string {
  return anyType(direction === 'inbound' ? INBOUND_WORKFLOW_TYPES : OUTBOUND_WORKFLOW_TYPES);
}

/** A message's direction from its workflow type; undefined for a type that carries no message. */
export function directionOf(workflowType: string | undefined): MessageDirection | undefined {
  const is = (types: readonly string[]) => types.includes(workflowType ?? '');
  return is(INBOUND_WORKFLOW_TYPES) ? 'inbound' : is(OUTBOUND_WORKFLOW_TYPES) ? 'outbound' : undefined;
}

/** A completed run whose published state no upsert recorded (the visibility clause of the same rule). */
const PUBLISHED_BY_COMPLETION = `(${anyType(PUBLISHED_ON_COMPLETION_TYPES)} AND BridgeStatus = "${MessageStatus.Accepted}" AND ExecutionStatus = "Completed")`;

/**
 * The visibility clause for messages whose bridge status is `status` (one of MessageStatus): PUBLISHED takes in the
 * completed V3 runs, ACCEPTED leaves them out. `!=` and nested OR/AND are accepted by SQL visibility (the dev server's
 * SQLite) and by Elasticsearch; test/inspect/message-visibility.test.ts runs these clauses against the dev server.
 */
export function statusClause(status: string): string {
  if (status === MessageStatus.Published) return `(BridgeStatus = "${status}" OR ${PUBLISHED_BY_COMPLETION})`;
  if (status === MessageStatus.Accepted)
    return `(BridgeStatus = "${status}" AND (${PUBLISHED_ON_COMPLETION_TYPES.map((type) => `WorkflowType != "${type}"`).join(' AND ')} OR ExecutionStatus != "Completed"))`;
  return `BridgeStatus = "${status}"`;
}

/** What a reader of one run knows: its type, Temporal's execution status (COMPLETED…), and its BridgeStatus. */
export interface RunStatusFacts {
  readonly workflowType: string;
  readonly executionStatus: string;
  readonly status?: string;
}

/** The run's bridge status, as statusClause finds it: a completed V3 run still ACCEPTED is PUBLISHED. */
export function messageStatusOf({ workflowType, executionStatus, status }: RunStatusFacts): string | undefined {
  return status === MessageStatus.Accepted &&
    executionStatus === 'COMPLETED' &&
    PUBLISHED_ON_COMPLETION_TYPES.includes(workflowType)
    ? MessageStatus.Published
    : status;
}
