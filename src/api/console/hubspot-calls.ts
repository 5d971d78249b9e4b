import type { Client } from '@temporalio/client';
import { AccountIdKey } from '../../domain/search-attributes.js';
import { buildTimeline } from '../../inspect/timeline.js';

/**
 * HubSpot calls per portal, read back from the histories of the messages started in the last few minutes. The store's
 * call slots (src/activities/rate-limit.ts) would be exact, but the store has no read of them yet; until it has,
 * each attempt of a step that calls HubSpot counts as one call ([INFERRED] a lower bound: publishing with a file is an
 * upload and a publish, one step), and a 429 is an attempt whose error says "HubSpot answered 429".
 */
export interface PortalCalls {
  readonly portalId: string;
  readonly calls: number;
  /** The most calls in any one window of the limit, to set against it. */
  readonly peakInWindow: number;
  readonly rateLimited: number;
}

/** Steps whose attempts call HubSpot's API (src/hubspot/portal-limit.ts wraps each of their clients). */
const HUBSPOT_STEPS = new Set(['publishInboundMessage', 'carryInboundMedia', 'resolveInboundThread', 'reportOutboundStatus', 'syncChannelAccount']);
/** An attempt that waited for the portal's budget and handed the wait back to Temporal never reached HubSpot. */
const PACED = /call budget for this portal is spent/;
const MAX_HISTORIES = 200;

export async function hubSpotCallsByPortal(client: Client, portalOf: (accountId: string) => string | undefined, sinceMs: number, windowMs: number): Promise<{ portals: PortalCalls[]; histories: number; capped: boolean }> {
  const query = `(WorkflowType = "inboundMessageWorkflow" OR WorkflowType = "outboundMessageWorkflow") AND StartTime >= "${new Date(sinceMs).toISOString()}"`;
  const stamps = new Map<string, number[]>();
  const limited = new Map<string, number>();
  let histories = 0;
  for await (const execution of client.workflow.list({ query, pageSize: 100 })) {
    if (histories >= MAX_HISTORIES) return { portals: summarise(stamps, limited, windowMs), histories, capped: true };
    histories += 1;
    const accountId = execution.typedSearchAttributes.get(AccountIdKey);
    const portalId = accountId === undefined ? undefined : portalOf(accountId);
    if (!portalId) continue;
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    for (const step of buildTimeline(history.events ?? [])) {
      if (step.kind !== 'activity' || !HUBSPOT_STEPS.has(step.name)) continue;
      const at = Date.parse(step.at);
      const list = stamps.get(portalId) ?? [];
      const reached = Math.max(1, step.attempts ?? 1) - step.errors.filter((e) => PACED.test(e)).length;
      for (let i = 0; i < reached; i += 1) list.push(at);
      stamps.set(portalId, list);
      limited.set(portalId, (limited.get(portalId) ?? 0) + step.errors.filter((e) => /HubSpot answered 429/.test(e)).length);
    }
  }
  return { portals: summarise(stamps, limited, windowMs), histories, capped: false };
}

function summarise(stamps: Map<string, number[]>, limited: Map<string, number>, windowMs: number): PortalCalls[] {
  return [...stamps].map(([portalId, times]) => {
    const sorted = times.sort((a, b) => a - b);
    let peak = 0;
    for (let i = 0, j = 0; i < sorted.length; i += 1) {
      while (sorted[i]! - sorted[j]! >= windowMs) j += 1;
      peak = Math.max(peak, i - j + 1);
    }
    return { portalId, calls: sorted.length, peakInWindow: peak, rateLimited: limited.get(portalId) ?? 0 };
  });
}
