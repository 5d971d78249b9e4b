import { WorkflowNotFoundError, type WorkflowExecutionDescription } from '@temporalio/client';
import { AmbiguousMessageId, InvalidFilter, MessageNotFound } from './errors.js';
import { classify, type InspectContext } from './context.js';

/** Visibility strings are quoted; ids with quotes, backslashes or control characters are refused, not escaped. */
export function quoted(value: string, what: string): string {
  if (value === '' || /["'\\\u0000-\u001f]/.test(value))
    throw new InvalidFilter(`${what} must be non-empty and contain no quotes, backslashes or control characters`);
  return `"${value}"`;
}

/**
 * Finds the message workflow an operator means: a workflow id as it is (`inbound:…`, `outbound:…`), else a
 * HubSpot message id (the store's mappings, then the search attributes) or a provider message id (the search
 * attributes). Newest run wins.
 */
export async function resolveMessage(ctx: InspectContext, id: string): Promise<WorkflowExecutionDescription> {
  const trimmed = id.trim();
  if (trimmed === '') throw new InvalidFilter('a message id is required');
  try {
    const direct = await describeOrUndefined(ctx, trimmed);
    if (direct) return direct;
    const value = quoted(trimmed, 'the message id');
    // A store that cannot answer leaves visibility, which still finds every message but a version 3 inbound one.
    const ids = new Set<string>(await ctx.mappings?.findMessageKeys(trimmed).catch(() => []));
    for await (const execution of ctx.client.workflow.list({
      query: `HubSpotMessageId = ${value} OR ProviderMessageId = ${value}`,
      pageSize: 20,
    })) {
      ids.add(execution.workflowId);
      if (ids.size > 10) break;
    }
    if (ids.size === 0) throw new MessageNotFound(trimmed);
    if (ids.size > 1) throw new AmbiguousMessageId(trimmed, [...ids].sort());
    return await ctx.client.workflow.getHandle([...ids][0]!).describe();
  } catch (error) {
    throw classify(error);
  }
}

async function describeOrUndefined(
  ctx: InspectContext,
  workflowId: string,
): Promise<WorkflowExecutionDescription | undefined> {
  try {
    return await ctx.client.workflow.getHandle(workflowId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}
