import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createOneStepActivity } from '../../packages/bridge/src/activities/inbound-one-step.js';
import type { BridgeActivities } from '../../packages/bridge/src/activities/index.js';
import type { InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import { INBOUND_WORKFLOW_TYPE, OUTBOUND_WORKFLOW_TYPE } from '../../packages/bridge/src/domain/workflow-types.js';
import type { OutboundRequest } from '../../packages/bridge/src/domain/outbound.js';
import { HISTORY_BOUND } from '../../packages/bridge/src/workflows/history-budget.js';
import type { inboundMessageWorkflowV3 } from '../../packages/bridge/src/workflows/inbound-message.js';
import type { outboundMessageWorkflowV3 } from '../../packages/bridge/src/workflows/outbound-message.js';
import { startTimeSkipping } from '../helpers/time-skipping.js';

/**
 * docs/ORDERING.md, "Bounded history": a wait of any length keeps every run's history under HISTORY_BOUND events, on
 * Temporal's time-skipping test server (30 days pass in seconds). The activities are scripted: what is measured is the
 * workflow's own history.
 */
const DAY = 24 * 3_600_000;

/** Every run of a workflow, first to last, following continue-as-new; with each run's event count. */
async function runsOf(client: Client, workflowId: string, firstRunId: string): Promise<number[]> {
  const counts: number[] = [];
  for (let runId: string | undefined = firstRunId; runId;) {
    const history: { events?: proto.temporal.api.history.v1.IHistoryEvent[] | null } = await client.workflow
      .getHandle(workflowId, runId)
      .fetchHistory();
    const events = history.events ?? [];
    counts.push(events.length);
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return counts;
}

describe('every wait is bounded in history (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await startTimeSkipping();
  });
  after(() => env?.teardown());

  async function withWorker<T>(
    activities: Partial<BridgeActivities>,
    body: (taskQueue: string) => Promise<T>,
  ): Promise<T> {
    const taskQueue = `bounded-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
      activities,
    });
    return worker.runUntil(body(taskQueue));
  }

  it('holds a customer message for 30 days behind a turned-off account, every run under the bound, then publishes it once', async (t) => {
    let turnedOnAt = Number.POSITIVE_INFINITY;
    const published: string[] = [];
    const steps = {
      claimTurn: async () => ({ granted: true }) as const,
      finishTurn: async () => null,
      resolveInboundThread: async () =>
        ({ integrationThreadId: 'acct-1:chat-1' }) as Awaited<ReturnType<BridgeActivities['resolveInboundThread']>>,
      async publishInboundMessage(messageKey) {
        // The server's skipped clock, not this process's: the account comes back on after 30 days.
        if ((await env.currentTimeMs()) < turnedOnAt)
          return { outcome: 'held', reason: 'account acct-1 is turned off in HubSpot' };
        published.push(messageKey);
        return { outcome: 'published', hubspotMessageId: 'hs-1', hubspotThreadId: 'th-1' };
      },
      recordInboundMapping: async () => undefined,
    } satisfies Partial<BridgeActivities>;
    // The one step is the real composition of the scripted steps.
    const activities: Partial<BridgeActivities> = {
      ...steps,
      ...createOneStepActivity({ ...steps, lineMayBeFree: async () => undefined }),
    };
    const message: InboundMessage = {
      accountId: 'acct-1',
      provider: 'generic',
      providerMessageId: 'm-1',
      providerChatId: 'chat-1',
      conversationKey: 'acct-1:chat-1',
      sender: { id: 'customer-1' },
      text: 'Are you there?',
      media: [],
      sentAt: new Date(await env.currentTimeMs()).toISOString(),
    } as unknown as InboundMessage;
    const workflowId = `inbound:acct-1:${randomUUID()}`;
    const { counts, result } = await withWorker(activities, async (taskQueue) => {
      turnedOnAt = (await env.currentTimeMs()) + 30 * DAY;
      // An hourly look at the account (production looks every 5 minutes, and is signalled when it comes back on): 720
      // looks.
      const handle = await env.client.workflow.start<typeof inboundMessageWorkflowV3>(INBOUND_WORKFLOW_TYPE, {
        taskQueue,
        workflowId,
        args: [message, { holdLimitMs: 31 * DAY, holdRecheckMs: 3_600_000 }],
      });
      const result = await handle.result();
      return { counts: await runsOf(env.client, workflowId, handle.firstExecutionRunId), result };
    });
    assert.deepEqual(result, { hubspotMessageId: 'hs-1', hubspotThreadId: 'th-1' });
    assert.deepEqual(published, [workflowId], 'published once, under its own key');
    t.diagnostic(`30 days held: ${counts.length} runs of ${counts.join(', ')} events`);
    assert.ok(counts.length > 3, `30 days of looks took ${counts.length} runs`);
    assert.ok(
      Math.max(...counts) < HISTORY_BOUND,
      `every run stays under ${HISTORY_BOUND} events: ${counts.join(', ')}`,
    );
  });

  it('holds a reply for its whole 24-hour window behind a turned-off account, every run under the bound', async (t) => {
    const reports: string[] = [];
    const activities: Partial<BridgeActivities> = {
      resolveOutbound: async () => ({ kind: 'held', accountId: 'acct-1' }),
      finishOutbound: async () => undefined,
      finishTurn: async () => null,
      async reportOutboundStatus(_request, status, reason) {
        reports.push(`${status}: ${reason ?? ''}`);
      },
    };
    const createdAt = new Date(await env.currentTimeMs()).toISOString();
    const request: OutboundRequest = {
      hubspotMessageId: randomUUID(),
      portalId: '1',
      channelId: '2',
      channelAccountId: 'acct-1',
      integrationThreadId: 'acct-1:chat-1',
      recipients: [],
      text: 'Sorry for the wait',
      attachments: [],
      createdAt,
      policy: { deliveryWindowMs: DAY, receiptWaitMs: 7 * DAY },
    };
    const workflowId = `outbound:${request.hubspotMessageId}`;
    const counts = await withWorker(activities, async (taskQueue) => {
      const handle = await env.client.workflow.start<typeof outboundMessageWorkflowV3>(OUTBOUND_WORKFLOW_TYPE, {
        taskQueue,
        workflowId,
        args: [request],
      });
      await env.client.workflow.getHandle(workflowId).result();
      return runsOf(env.client, workflowId, handle.firstExecutionRunId);
    });
    t.diagnostic(`24 h held: ${counts.length} runs of ${counts.join(', ')} events`);
    assert.equal(reports.length, 1);
    assert.match(reports[0]!, /^FAILED: not delivered within 24 h: the channel account is turned off/);
    assert.ok(
      Math.max(...counts) < HISTORY_BOUND,
      `every run stays under ${HISTORY_BOUND} events: ${counts.join(', ')}`,
    );
  });
});
