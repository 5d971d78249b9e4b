import { MessageStatus } from '../domain/signals.js';
import { classify, uiLink, type InspectContext } from './context.js';
import { InvalidFilter } from './errors.js';
import { quoted } from './resolve.js';
import { latestRuns } from './runs.js';
import { summary } from './show.js';
import { MESSAGE_WORKFLOWS_QUERY } from '../domain/workflow-types.js';
import { directionClause, statusClause } from '../domain/message-visibility.js';

export interface ListFilter {
  readonly account?: string;
  readonly conversation?: string;
  /** A BridgeStatus value, any case. */
  readonly status?: string;
  readonly direction?: string;
  /** ISO time, or a duration back from now: 30m, 12h, 7d. */
  readonly since?: string;
  readonly until?: string;
  /** @default 50, at most 1000 */
  readonly limit?: number;
}

export type ListedMessage = ReturnType<typeof summary> & { readonly uiUrl: string };

const STATUSES: readonly string[] = Object.values(MessageStatus);
const MESSAGE_TYPES = MESSAGE_WORKFLOWS_QUERY;

/** Parses `since` / `until`: an ISO time or a relative duration ("15m", "2h", "7d"). */
export function parseTime(value: string, what: string, now = Date.now()): Date {
  const relative = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (relative)
    return new Date(
      now - Number(relative[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[relative[2] as 's' | 'm' | 'h' | 'd'],
    );
  const time = new Date(value);
  if (Number.isNaN(time.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
    throw new InvalidFilter(
      `${what} must be an ISO time (2026-11-24T10:00:00Z) or a duration back from now (30m, 12h, 7d); got "${value}"`,
    );
  }
  return time;
}

/** Builds the visibility query; every part is validated, so a bad filter is a 400, never a Temporal error. */
export function listQuery(filter: ListFilter, now = Date.now()): string {
  const parts = [MESSAGE_TYPES];
  if (filter.account !== undefined) parts.push(`BridgeAccountId = ${quoted(filter.account, 'account')}`);
  if (filter.conversation !== undefined)
    parts.push(`BridgeConversationKey = ${quoted(filter.conversation, 'conversation')}`);
  if (filter.status !== undefined) {
    const status = filter.status.toUpperCase();
    if (!STATUSES.includes(status))
      throw new InvalidFilter(`status must be one of ${STATUSES.join(', ')}; got "${filter.status}"`);
    parts.push(statusClause(status));
  }
  if (filter.direction !== undefined) {
    if (filter.direction !== 'inbound' && filter.direction !== 'outbound')
      throw new InvalidFilter(`direction must be inbound or outbound; got "${filter.direction}"`);
    parts.push(directionClause(filter.direction));
  }
  const since = filter.since === undefined ? undefined : parseTime(filter.since, 'since', now);
  const until = filter.until === undefined ? undefined : parseTime(filter.until, 'until', now);
  if (since && until && since > until) throw new InvalidFilter('since must be before until');
  if (since) parts.push(`StartTime >= "${since.toISOString()}"`);
  if (until) parts.push(`StartTime <= "${until.toISOString()}"`);
  return parts.join(' AND ');
}

export function checkLimit(limit: number | undefined): number {
  const value = limit ?? 50;
  if (!Number.isInteger(value) || value < 1 || value > 1000)
    throw new InvalidFilter(`limit must be a whole number from 1 to 1000; got "${limit}"`);
  return value;
}

/**
 * Newest first (visibility's order), at most `limit`, each with whether and how it can be retried. A retried message
 * is listed once, by its latest run: older runs (a reset's, a failed reply's before its resend) are left out, so
 * `--status FAILED` lists what is failed now; `messages show` lists every run.
 */
export async function listMessages(ctx: InspectContext, filter: ListFilter): Promise<ListedMessage[]> {
  const query = listQuery(filter);
  const limit = checkLimit(filter.limit);
  const found: ListedMessage[] = [];
  try {
    for await (const execution of ctx.client.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
      const listed = summary(execution);
      // An inbound run of version 3 sets no HubSpotMessageId: the store's mapping names it.
      const hubspotMessageId =
        listed.hubspotMessageId ??
        (listed.status === MessageStatus.Published
          ? (await ctx.mappings?.findMessage(execution.workflowId))?.hubspotMessageId
          : undefined);
      found.push({ ...listed, hubspotMessageId, uiUrl: uiLink(ctx, execution.workflowId, execution.runId) });
      if (found.length >= limit) break;
    }
    // Only a closed run can have a newer one (one run at most is open per workflow id).
    const latest = await latestRuns(
      ctx,
      found.filter((m) => m.executionStatus !== 'RUNNING').map((m) => m.workflowId),
    );
    return found.filter((m) => (latest.get(m.workflowId) ?? m.runId) === m.runId);
  } catch (error) {
    throw classify(error);
  }
}
