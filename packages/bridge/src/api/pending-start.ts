import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { ALL_SEARCH_ATTRIBUTE_KEYS } from '../domain/search-attributes.js';
import { withinDeadline } from './temporal-deadline.js';
import { startRefusal } from './temporal-refusal.js';

/**
 * A workflow start as the store keeps it with the message's place in line (migration 63) until the workflow runs:
 * everything `client.workflow.start` needs besides the workflow id, which is the place's message key.
 */
export interface PendingStart {
  readonly workflowType: string;
  readonly taskQueue: string;
  readonly args: readonly unknown[];
  /** Keyword search attributes by name (src/domain/search-attributes.ts). */
  readonly searchAttributes: Readonly<Record<string, string>>;
}

const KEYS = new Map<string, (typeof ALL_SEARCH_ATTRIBUTE_KEYS)[number]>(
  ALL_SEARCH_ATTRIBUTE_KEYS.map((key) => [key.name, key]),
);

/** Reads a kept start back; throws on one this version cannot make (an unknown search attribute, not JSON). */
export function parsePendingStart(text: string): PendingStart {
  const parsed = JSON.parse(text) as PendingStart;
  if (typeof parsed?.workflowType !== 'string' || typeof parsed.taskQueue !== 'string' || !Array.isArray(parsed.args))
    throw new Error('not a kept workflow start');
  for (const name of Object.keys(parsed.searchAttributes ?? {}))
    if (!KEYS.has(name)) throw new Error(`unknown search attribute ${name}`);
  return parsed;
}

/**
 * Starts the workflow `workflowId` as kept. A second start of the same id is refused by Temporal
 * (`REJECT_DUPLICATE`, WorkflowExecutionAlreadyStartedError), also once that workflow has closed.
 */
export async function startAsKept(client: Client, workflowId: string, start: PendingStart): Promise<void> {
  await client.workflow.start(start.workflowType, {
    workflowId,
    taskQueue: start.taskQueue,
    args: [...start.args],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: Object.entries(start.searchAttributes).map(([name, value]) => ({
      key: KEYS.get(name)!,
      value,
    })),
  });
}

/**
 * The api's own start of a message's workflow, within its deadline: true when made now, false when Temporal already had
 * it (a redelivery); any other refusal as the api answers it (src/api/temporal-refusal.ts).
 */
export async function startOnce(client: Client, workflowId: string, start: PendingStart): Promise<boolean> {
  try {
    await withinDeadline(client, () => startAsKept(client, workflowId, start));
    return true;
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw startRefusal(error);
    return false;
  }
}
