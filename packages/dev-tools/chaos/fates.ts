import { Client, Connection, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { WorkflowFate } from './count.js';

/** Looks up, in Temporal, what became of inbound messages HubSpot never got: the inspect commands read the same. */
export async function workflowFates(
  address: string,
  workflowIds: readonly string[],
  concurrency = 16,
): Promise<Map<string, WorkflowFate>> {
  const fates = new Map<string, WorkflowFate>();
  if (workflowIds.length === 0) return fates;
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const queue = [...workflowIds];
    const next = async () => {
      for (let id = queue.pop(); id !== undefined; id = queue.pop()) fates.set(id, await fateOf(client, id));
    };
    await Promise.all(Array.from({ length: concurrency }, next));
  } finally {
    await connection.close();
  }
  return fates;
}

async function fateOf(client: Client, workflowId: string): Promise<WorkflowFate> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const { status } = await handle.describe();
    if (status.name === 'RUNNING') return { state: 'running' };
    if (status.name === 'COMPLETED') return { state: 'completed' };
    await handle.result();
    return { state: 'completed' };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { state: 'missing' };
    if (error instanceof WorkflowFailedError) return { state: 'failed', reason: error.cause?.message ?? error.message };
    throw error;
  }
}
