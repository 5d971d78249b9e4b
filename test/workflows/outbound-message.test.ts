import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import type { BridgeActivities } from '../../packages/bridge/src/activities/index.js';
import type { DeliverPartInput, OutsideWindowResult } from '../../packages/bridge/src/activities/delivery.js';
import type { OutboundRoute } from '../../packages/bridge/src/activities/outbound.js';
import type { ReplyPlan } from '../../packages/bridge/src/domain/outbound-plan.js';
import { outboundReceipt, type OutboundRequest } from '../../packages/bridge/src/domain/outbound.js';
import { accountStateChanged } from '../../packages/bridge/src/domain/signals.js';
import type { outboundMessageWorkflowV3 } from '../../packages/bridge/src/workflows/outbound-message.js';
import { OUTBOUND_WORKFLOW_TYPE } from '../../packages/bridge/src/domain/workflow-types.js';
import { waitFor } from '../helpers/temporal.js';
import { startTimeSkipping } from '../helpers/time-skipping.js';

const HOUR = 3_600_000;
const READY: OutboundRoute = {
  kind: 'ready',
  accountId: 'acct-1',
  provider: 'whatsapp',
  chatId: '447700900123',
  conversationKey: 'acct-1:447700900123',
  receipts: true,
};

function request(overrides: Partial<OutboundRequest> = {}): OutboundRequest {
  const id = randomUUID();
  return {
    hubspotMessageId: id,
    portalId: '1',
    channelId: '2',
    channelAccountId: 'acct-1',
    integrationThreadId: 'acct-1:447700900123',
    recipients: [],
    text: 'Hello',
    richText: '<p>Hello</p>',
    attachments: [],
    createdAt: new Date().toISOString(),
    policy: { deliveryWindowMs: 24 * HOUR, receiptWaitMs: 7 * 24 * HOUR },
    ...overrides,
  };
}

/** Activities as data: each test scripts the answers and reads what the workflow asked for. */
function fakeActivities(
  script: {
    routes?: () => OutboundRoute;
    deliver?: (input: DeliverPartInput) => Promise<{ providerMessageIds: string[]; sentReported?: boolean }>;
    plan?: () => ReplyPlan;
    outsideWindow?: () => Promise<OutsideWindowResult>;
  } = {},
) {
  const calls = {
    resolve: 0,
    delivered: 0,
    reports: [] as { status: string; reason?: string }[],
    finished: 0,
    planned: 0,
    plannedLocally: 0,
    parts: [] as DeliverPartInput[],
    outsideWindow: [] as DeliverPartInput[],
  };
  const activities: Partial<BridgeActivities> = {
    async resolveOutbound() {
      calls.resolve += 1;
      return script.routes ? script.routes() : READY;
    },
    async claimTurn() {
      return { granted: true as const };
    },
    async finishTurn() {
      return null;
    },
    async planOutboundReply() {
      calls.planned += 1;
      if (Context.current().info.isLocal) calls.plannedLocally += 1;
      return script.plan ? script.plan() : { kind: 'ready' };
    },
    async deliverOutboundPart(input) {
      calls.delivered += 1;
      calls.parts.push(input);
      return script.deliver ? script.deliver(input) : { providerMessageIds: [`wamid.${calls.delivered}`] };
    },
    async sendPartOutsideWindow(input) {
      calls.outsideWindow.push(input);
      return script.outsideWindow
        ? script.outsideWindow()
        : { kind: 'sent', providerMessageIds: [`wamid.T${calls.outsideWindow.length}`] };
    },
    async finishOutbound() {
      calls.finished += 1;
    },
    async reportOutboundStatus(_req, status, reason) {
      calls.reports.push(reason ? { status, reason } : { status });
    },
  };
  return { calls, activities };
}

/** Long waits (the 24-hour window, a 7-day receipt wait) in seconds, on Temporal's time-skipping test server. */
describe('outbound message workflow (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await startTimeSkipping();
  });
  after(async () => {
    await env?.teardown();
  });

  async function run<T>(activities: Partial<BridgeActivities>, body: (taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = `outbound-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
      activities,
    });
    return worker.runUntil(body(taskQueue));
  }
  // createdAt starts the delivery window, so it is read from the server's clock, which earlier tests skipped forward.
  const start = async (taskQueue: string, input: OutboundRequest) => {
    const createdAt = new Date(await env.currentTimeMs()).toISOString();
    return env.client.workflow.start<typeof outboundMessageWorkflowV3>(OUTBOUND_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: `outbound:${input.hubspotMessageId}`,
      args: [{ ...input, createdAt }],
    });
  };

  it('sends, reports SENT, waits out the 7-day receipt wait and completes', async () => {
    const { calls, activities } = fakeActivities();
    const result = await run(activities, async (tq) => (await start(tq, request())).result());
    assert.deepEqual(result, { status: 'SENT' });
    assert.deepEqual(calls.reports, [{ status: 'SENT' }]);
    assert.equal(calls.delivered, 1);
    assert.equal(calls.finished, 1);
  });

  it('reports READ once; later, duplicate and out-of-order receipts never move the status back', async () => {
    const { calls, activities } = fakeActivities();
    const result = await run(activities, async (tq) => {
      const handle = await start(tq, request({ attachments: [{ fileId: 'f1' }] }));
      await waitFor(() => (calls.reports.length > 0 ? true : undefined), 20_000, 'SENT');
      for (const status of ['delivered', 'read', 'delivered', 'sent', 'read', 'failed'] as const) {
        // Once READ is reported the workflow may complete at once: a receipt after that finds no workflow, as in
        // production.
        await handle.signal(outboundReceipt, { providerMessageId: 'wamid.1', status }).catch((error: unknown) => {
          if (!(error instanceof WorkflowNotFoundError) || (status === 'delivered' && calls.reports.length < 2))
            throw error;
        });
      }
      return handle.result();
    });
    assert.deepEqual(result, { status: 'READ' });
    assert.deepEqual(calls.reports, [{ status: 'SENT' }, { status: 'READ' }]);
    assert.equal(calls.delivered, 2, 'text and one file, one part each');
  });

  it('reports FAILED with the provider reason when a failed receipt comes after acceptance (24-hour window)', async () => {
    const reason = "outside WhatsApp's 24-hour window: the customer must write first, or use a template (131047)";
    const { calls, activities } = fakeActivities();
    const result = await run(activities, async (tq) => {
      const handle = await start(tq, request());
      await waitFor(() => (calls.delivered > 0 ? true : undefined), 20_000, 'delivery');
      await handle.signal(outboundReceipt, { providerMessageId: 'wamid.1', status: 'failed', reason });
      await handle.signal(outboundReceipt, { providerMessageId: 'wamid.1', status: 'read' });
      return handle.result();
    });
    assert.deepEqual(result, { status: 'FAILED', reason });
    assert.deepEqual(calls.reports, [{ status: 'SENT' }, { status: 'FAILED', reason }]);
  });

  const WINDOW_REASON = "outside WhatsApp's 24-hour window: the customer must write first, or use a template (131047)";

  it('sends a part WhatsApp failed with 131047 once more as the template, then follows the template to READ', async () => {
    const { calls, activities } = fakeActivities();
    const result = await run(activities, async (tq) => {
      const handle = await start(tq, request());
      await waitFor(() => (calls.reports.length > 0 ? true : undefined), 20_000, 'SENT');
      await handle.signal(outboundReceipt, {
        providerMessageId: 'wamid.1',
        status: 'failed',
        reason: WINDOW_REASON,
        code: 131047,
      });
      await waitFor(() => (calls.outsideWindow.length > 0 ? true : undefined), 20_000, 'template');
      // The same failure again (Meta repeats webhooks): no second template.
      await handle.signal(outboundReceipt, {
        providerMessageId: 'wamid.1',
        status: 'failed',
        reason: WINDOW_REASON,
        code: 131047,
      });
      await handle.signal(outboundReceipt, { providerMessageId: 'wamid.T1', status: 'delivered' });
      await handle.signal(outboundReceipt, { providerMessageId: 'wamid.T1', status: 'read' });
      return handle.result();
    });
    assert.deepEqual(result, { status: 'READ' });
    assert.deepEqual(calls.reports, [{ status: 'SENT' }, { status: 'READ' }]);
    assert.equal(calls.outsideWindow.length, 1, 'one template for the part');
    assert.equal(calls.outsideWindow[0]!.part.index, 0);
    assert.equal(calls.delivered, 1);
  });

  it("fails a part WhatsApp failed with 131047 with the adapter's reason when no template is configured", async () => {
    const reason =
      'the customer last wrote more than 24 hours ago; configure one with WHATSAPP_WINDOW_MODE=template (131047)';
    const { calls, activities } = fakeActivities({
      outsideWindow: async () => {
        throw ApplicationFailure.nonRetryable(reason, 'DeliveryRefused');
      },
    });
    const result = await run(activities, async (tq) => {
      const handle = await start(tq, request());
      await waitFor(() => (calls.reports.length > 0 ? true : undefined), 20_000, 'SENT');
      await handle.signal(outboundReceipt, {
        providerMessageId: 'wamid.1',
        status: 'failed',
        reason: WINDOW_REASON,
        code: 131047,
      });
      return handle.result();
    });
    assert.deepEqual(result, { status: 'FAILED', reason });
    assert.deepEqual(calls.reports, [{ status: 'SENT' }, { status: 'FAILED', reason }]);
    assert.equal(calls.outsideWindow.length, 1);
  });

  it('keeps the failure as it came for a provider with no send outside the window, and when the template fails too', async () => {
    const unsupported = fakeActivities({ outsideWindow: async () => ({ kind: 'unsupported' }) });
    const first = await run(unsupported.activities, async (tq) => {
      const handle = await start(tq, request());
      await waitFor(() => (unsupported.calls.reports.length > 0 ? true : undefined), 20_000, 'SENT');
      await handle.signal(outboundReceipt, {
        providerMessageId: 'wamid.1',
        status: 'failed',
        reason: WINDOW_REASON,
        code: '131047',
      });
      return handle.result();
    });
    assert.deepEqual(first, { status: 'FAILED', reason: WINDOW_REASON });

    const { calls, activities } = fakeActivities();
    const second = await run(activities, async (tq) => {
      const handle = await start(tq, request());
      await waitFor(() => (calls.reports.length > 0 ? true : undefined), 20_000, 'SENT');
      await handle.signal(outboundReceipt, {
        providerMessageId: 'wamid.1',
        status: 'failed',
        reason: WINDOW_REASON,
        code: 131047,
      });
      await waitFor(() => (calls.outsideWindow.length > 0 ? true : undefined), 20_000, 'template');
      await handle.signal(outboundReceipt, {
        providerMessageId: 'wamid.T1',
        status: 'failed',
        reason: WINDOW_REASON,
        code: 131047,
      });
      return handle.result();
    });
    assert.deepEqual(second, { status: 'FAILED', reason: WINDOW_REASON });
    assert.equal(calls.outsideWindow.length, 1, 'at most one template per part');
  });

  const SPAM_REASON = 'WhatsApp is limiting how many messages this number may send (131048)';
  const spamLimited = (providerMessageId: string) => ({
    providerMessageId,
    status: 'failed' as const,
    reason: SPAM_REASON,
    code: 131048,
    resendAfterSeconds: 60,
  });

  it('sends a message WhatsApp failed for a temporary reason (131048) again after its delay, and follows the new one to READ', async () => {
    const { calls, activities } = fakeActivities();
    const result = await run(activities, async (tq) => {
      const handle = await start(tq, request({ replyToProviderMessageId: 'wamid.customer' }));
      await waitFor(() => (calls.reports.length > 0 ? true : undefined), 20_000, 'SENT');
      await handle.signal(outboundReceipt, spamLimited('wamid.1'));
      const failedAt = await env.currentTimeMs();
      await env.sleep(61_000);
      await waitFor(() => (calls.delivered > 1 ? true : undefined), 20_000, 'resend');
      assert.ok((await env.currentTimeMs()) - failedAt >= 60_000, 'not before the delay the code asks for');
      await handle.signal(outboundReceipt, { providerMessageId: 'wamid.2', status: 'read' });
      return handle.result();
    });
    assert.deepEqual(result, { status: 'READ' });
    assert.deepEqual(calls.reports, [{ status: 'SENT' }, { status: 'READ' }], 'never FAILED on the way');
    assert.deepEqual(calls.parts[1]!.resend, { attempt: 1, piece: 0 });
    assert.equal(calls.parts[1]!.replyTo, 'wamid.customer', 'the first message keeps its reply context');
  });

  it('sends again only the failed message of a part that became several, without the reply context', async () => {
    const { calls, activities } = fakeActivities({
      deliver: async () => ({
        providerMessageIds: calls.delivered === 1 ? ['wamid.a', 'wamid.b', 'wamid.c'] : ['wamid.b2'],
      }),
    });
    const result = await run(activities, async (tq) => {
      const handle = await start(tq, request({ replyToProviderMessageId: 'wamid.customer' }));
      await waitFor(() => (calls.reports.length > 0 ? true : undefined), 20_000, 'SENT');
      await handle.signal(outboundReceipt, { ...spamLimited('wamid.b'), code: 131000, resendAfterSeconds: 5 });
      await env.sleep(6_000);
      await waitFor(() => (calls.delivered > 1 ? true : undefined), 20_000, 'resend');
      for (const id of ['wamid.a', 'wamid.b2', 'wamid.c'])
        await handle.signal(outboundReceipt, { providerMessageId: id, status: 'read' });
      return handle.result();
    });
    assert.deepEqual(result, { status: 'READ' });
    assert.deepEqual(calls.parts[1]!.resend, { attempt: 1, piece: 1 });
    assert.equal(calls.parts[1]!.replyTo, undefined);
  });

  it('lets the failure stand after three resends that failed too, doubling the wait each time', async () => {
    const { calls, activities } = fakeActivities();
    const result = await run(activities, async (tq) => {
      const handle = await start(tq, request());
      await waitFor(() => (calls.reports.length > 0 ? true : undefined), 20_000, 'SENT');
      for (let n = 1; n <= 4; n += 1) {
        await handle.signal(outboundReceipt, spamLimited(`wamid.${n}`));
        if (n === 4) break;
        await env.sleep(60_000 * 2 ** (n - 1) + 1_000);
        await waitFor(() => (calls.delivered > n ? true : undefined), 20_000, `resend ${n}`);
      }
      return handle.result();
    });
    assert.equal(result.status, 'FAILED');
    assert.equal(result.reason, `${SPAM_REASON}; sent 3 more times, and it failed each time`);
    assert.deepEqual(
      calls.parts.slice(1).map((p) => p.resend?.attempt),
      [1, 2, 3],
    );
  });

  it('does not send again past the delivery window, and keeps a failure without a resend delay final', async () => {
    const late = fakeActivities();
    const first = await run(late.activities, async (tq) => {
      const handle = await start(tq, request({ policy: { deliveryWindowMs: 30_000, receiptWaitMs: 7 * 24 * HOUR } }));
      await waitFor(() => (late.calls.reports.length > 0 ? true : undefined), 20_000, 'SENT');
      await handle.signal(outboundReceipt, spamLimited('wamid.1'));
      return handle.result();
    });
    assert.deepEqual(first, {
      status: 'FAILED',
      reason: `${SPAM_REASON}; too late to send again within the reply's delivery window`,
    });
    assert.equal(late.calls.delivered, 1);

    const final = fakeActivities();
    const second = await run(final.activities, async (tq) => {
      const handle = await start(tq, request());
      await waitFor(() => (final.calls.reports.length > 0 ? true : undefined), 20_000, 'SENT');
      await handle.signal(outboundReceipt, {
        providerMessageId: 'wamid.1',
        status: 'failed',
        reason: 'not on WhatsApp (131026)',
        code: 131026,
      });
      return handle.result();
    });
    assert.deepEqual(second, { status: 'FAILED', reason: 'not on WhatsApp (131026)' });
    assert.equal(final.calls.delivered, 1);
  });

  it('reports FAILED with the reason a rep reads when the provider refuses for good', async () => {
    const { calls, activities } = fakeActivities({
      deliver: async () => {
        throw ApplicationFailure.nonRetryable('the customer blocked the bot', 'DeliveryRefused');
      },
    });
    const result = await run(activities, async (tq) => (await start(tq, request())).result());
    assert.deepEqual(result, { status: 'FAILED', reason: 'the customer blocked the bot' });
    assert.deepEqual(calls.reports, [{ status: 'FAILED', reason: 'the customer blocked the bot' }]);
    assert.equal(calls.finished, 1, 'the chat is free for the next reply');
  });

  it('reports FAILED naming the delivery window when the provider kept failing until it closed', async () => {
    const { activities } = fakeActivities({
      deliver: async () => {
        throw ApplicationFailure.nonRetryable(
          'the provider kept failing or rate limiting until the window closed',
          'DeliveryWindowExpired',
        );
      },
    });
    const result = await run(activities, async (tq) => (await start(tq, request())).result());
    assert.deepEqual(result, {
      status: 'FAILED',
      reason: 'not delivered within 24 h: the provider kept failing or rate limiting until the window closed',
    });
  });

  it('holds a reply while the account is turned off, and fails it readably when the 24-hour window passes', async () => {
    const { calls, activities } = fakeActivities({ routes: () => ({ kind: 'held', accountId: 'acct-1' }) });
    const result = await run(activities, async (tq) => (await start(tq, request())).result());
    assert.equal(result.status, 'FAILED');
    assert.match(result.reason ?? '', /not delivered within 24 h: the channel account is turned off/);
    assert.equal(calls.delivered, 0);
    assert.ok(calls.resolve > 1, 'the account was re-read while held');
  });

  it('delivers a held reply once accountStateChanged says the account is back on', async () => {
    let on = false;
    const { calls, activities } = fakeActivities({
      routes: () => (on ? READY : { kind: 'held', accountId: 'acct-1' }),
    });
    const result = await run(activities, async (tq) => {
      const handle = await start(tq, request({ policy: { deliveryWindowMs: 24 * HOUR, receiptWaitMs: HOUR } }));
      await waitFor(() => (calls.resolve > 0 ? true : undefined), 20_000, 'first resolution');
      on = true;
      await handle.signal(accountStateChanged, { authorized: true, removed: false });
      return handle.result();
    });
    assert.deepEqual(result, { status: 'SENT' });
    assert.equal(calls.delivered, 1);
  });

  it('fails a held reply with a readable reason when the account is removed', async () => {
    const { calls, activities } = fakeActivities({ routes: () => ({ kind: 'held', accountId: 'acct-1' }) });
    const result = await run(activities, async (tq) => {
      const handle = await start(tq, request());
      await waitFor(() => (calls.resolve > 0 ? true : undefined), 20_000, 'first resolution');
      await handle.signal(accountStateChanged, { authorized: false, removed: true });
      return handle.result();
    });
    assert.deepEqual(result, {
      status: 'FAILED',
      reason: 'the channel account was removed from HubSpot, so the reply cannot be delivered',
    });
    assert.equal(calls.delivered, 0);
  });
  it('plans the whole reply first: a refused file fails it at once, naming the file, with nothing sent', async () => {
    const reason = 'nothing was sent: "big.png" is 5.1 MB; WhatsApp accepts images up to 5 MB';
    const { calls, activities } = fakeActivities({ plan: () => ({ kind: 'refused', reason }) });
    const attachments = [
      { fileId: 'f1', name: 'ok.pdf' },
      { fileId: 'f2', name: 'big.png' },
    ];
    const result = await run(activities, async (tq) => (await start(tq, request({ attachments }))).result());
    assert.deepEqual(result, { status: 'FAILED', reason });
    assert.equal(calls.planned, 1);
    assert.equal(calls.delivered, 0, 'not the text, not the first file');
    assert.equal(calls.finished, 1, 'the chat is free for the next reply');
  });

  it('sends the text as the caption of the file the plan picked, that file first, then the others; the reply-to link on the first part only', async () => {
    const { calls, activities } = fakeActivities({ plan: () => ({ kind: 'ready', captionFile: 1 }) });
    const attachments = [{ fileId: 'song' }, { fileId: 'photo' }, { fileId: 'doc' }];
    const result = await run(activities, async (tq) =>
      (await start(tq, request({ attachments, replyToProviderMessageId: 'wamid.QUESTION' }))).result(),
    );
    assert.equal(result.status, 'SENT');
    assert.deepEqual(
      calls.parts.map((p) => ({
        index: p.part.index,
        file: p.part.file?.fileId,
        text: p.part.text?.text,
        replyTo: p.replyTo,
      })),
      [
        { index: 2, file: 'photo', text: 'Hello', replyTo: 'wamid.QUESTION' },
        { index: 1, file: 'song', text: undefined, replyTo: undefined },
        { index: 3, file: 'doc', text: undefined, replyTo: undefined },
      ],
    );
  });

  it('sends the text on its own first when no file can carry it', async () => {
    const { calls, activities } = fakeActivities({ plan: () => ({ kind: 'ready' }) });
    const result = await run(activities, async (tq) =>
      (await start(tq, request({ attachments: [{ fileId: 'voice' }] }))).result(),
    );
    assert.equal(result.status, 'SENT');
    assert.deepEqual(
      calls.parts.map((p) => [p.part.index, p.part.file?.fileId, p.part.text?.text]),
      [
        [0, undefined, 'Hello'],
        [1, 'voice', undefined],
      ],
    );
  });

  it('plans a reply without files in the workflow task (a local activity); SENT written by its delivery is not written again', async () => {
    const { calls, activities } = fakeActivities({
      deliver: async (input) => ({ providerMessageIds: ['wamid.1'], sentReported: input.reportSent !== undefined }),
      plan: () => ({ kind: 'ready', replyToProviderMessageId: 'wamid.QUESTION' }),
    });
    const result = await run(activities, async (tq) =>
      (await start(tq, request({ inReplyToHubSpotMessageId: 'hs-question' }))).result(),
    );
    assert.deepEqual(result, { status: 'SENT' });
    assert.equal(calls.planned, 1, 'planned, as every reply is');
    assert.equal(calls.plannedLocally, 1, 'in the workflow task');
    assert.deepEqual(
      calls.parts.map((p) => ({ replyTo: p.replyTo, reportSent: p.reportSent })),
      [{ replyTo: 'wamid.QUESTION', reportSent: { channelId: '2' } }],
    );
    assert.deepEqual(calls.reports, [], 'SENT is in HubSpot already');
    assert.equal(calls.finished, 1);
  });

  it('writes SENT itself when the delivery could not', async () => {
    const { calls, activities } = fakeActivities({
      deliver: async () => ({ providerMessageIds: ['wamid.1'], sentReported: false }),
    });
    const result = await run(activities, async (tq) => (await start(tq, request())).result());
    assert.deepEqual(result, { status: 'SENT' });
    assert.deepEqual(calls.reports, [{ status: 'SENT' }]);
  });

  it('asks only the last part of a reply with files to write SENT', async () => {
    const { calls, activities } = fakeActivities({ plan: () => ({ kind: 'ready' }) });
    await run(activities, async (tq) =>
      (await start(tq, request({ attachments: [{ fileId: 'a' }, { fileId: 'b' }] }))).result(),
    );
    assert.equal(calls.planned, 1, 'files are planned');
    assert.equal(calls.plannedLocally, 0, 'by an activity: it downloads them');
    assert.deepEqual(
      calls.parts.map((p) => p.reportSent),
      [undefined, undefined, { channelId: '2' }],
    );
  });
});
