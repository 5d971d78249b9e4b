import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Worker } from '@temporalio/worker';
import { createChannelAccountsClient } from '../../packages/bridge/src/hubspot/channel-accounts.js';
import { createHubSpotClient } from '../../packages/bridge/src/hubspot/client.js';
import { bundleWorkflows } from '../../packages/bridge/src/temporal/bundle.js';
import { createBridgeWorker } from '../../packages/bridge/src/temporal/worker.js';
import { bundleWorkflowsAt, previousWorkflowVersion, workflowTypesAt } from '../../scripts/histories/code-at.js';
import { connectGeneric, sendGeneric, turnAccount, waitUntilHeld } from '../../scripts/histories/world.js';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { GENERIC_SECRET, startGenericEmulator } from '../helpers/generic-emulator.js';
import { outboundWorkerDeps } from '../helpers/outbound-bridge.js';
import { openThread, replyAsRep, statusUpdates } from '../helpers/outbound-world.js';
import { connectWorker, waitFor } from '../helpers/temporal.js';

const root = path.resolve(import.meta.dirname, '../..');
// UPGRADE_FROM=<commit>: deploy over that version instead (the one production runs), docs/UPGRADING.md.
const previous = process.env.UPGRADE_FROM
  ? { commit: process.env.UPGRADE_FROM, changedBy: 'UPGRADE_FROM', subject: 'set by hand' }
  : previousWorkflowVersion(root);
const skip =
  'unavailable' in previous
    ? `no previous version of the workflow code to deploy over: ${previous.unavailable}`
    : false;

/** A worker as src/worker.ts wires it (so the account's lifecycle is followed), running the given workflow bundle. */
async function startWorker(bridge: TestBridge, workflowBundlePath: string): Promise<{ stop(): Promise<void> }> {
  const { sandbox } = bridge;
  const accessTokenFor = async () => sandbox.portal.accessToken;
  const connection = await connectWorker();
  const worker: Worker = await createBridgeWorker({
    connection,
    namespace: 'default',
    taskQueue: bridge.taskQueue,
    deps: {
      store: bridge.store,
      hubspot: createHubSpotClient({ baseUrl: sandbox.url, channelId: sandbox.channelId, accessTokenFor }),
      channelAccounts: createChannelAccountsClient({
        baseUrl: sandbox.url,
        channelId: sandbox.channelId,
        accessTokenFor,
      }),
      // The connector emulator listens on loopback, which the bridge refuses unless allowed (sandboxes only).
      ...outboundWorkerDeps(sandbox, { providerEndpoints: { allowPrivateMediaHosts: ['127.0.0.1'] } }),
    },
    workflowBundlePath,
  });
  const running = worker.run();
  return {
    // A deploy's stop: SIGTERM, in-flight activities finish, then the process goes.
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

type Delivered = { answered: number; duplicate: boolean; event?: { type: string; data: { text?: string } } };
type HubSpotMessage = { direction: string; text: string };

/**
 * docs/UPGRADING.md: messages held on the previous version's workflow code (the code before the newest commit that
 * changed src/workflows/) finish on the current code once a deploy replaced the worker. Only one worker polls at a
 * time, so everything before the swap ran on the old code and everything after it replays that history on the new.
 */
describe(
  'a deploy of the current workflow code while messages are held on the previous version',
  { skip, timeout: 300_000 },
  () => {
    let bridge: TestBridge;
    let emulator: Awaited<ReturnType<typeof startGenericEmulator>>;
    let oldBundle: string;
    let newBundle: string;
    const workers: { stop(): Promise<void> }[] = [];

    before(async () => {
      if ('unavailable' in previous) return;
      // Messages held on the previous version were started by its api, as the workflow type it knew.
      bridge = await startTestBridge({
        worker: false,
        workflowTypes: workflowTypesAt(root, previous.commit),
      });
      emulator = await startGenericEmulator({ autoReceipts: ['delivered', 'read'] });
      oldBundle = await bundleWorkflowsAt(root, previous.commit, {
        bundlePath: path.join(root, '.tmp', `upgrade-previous-${process.pid}.js`),
      });
      newBundle = process.env.WORKFLOW_BUNDLE_PATH ?? path.join(root, '.tmp', `upgrade-current-${process.pid}.js`);
      if (!process.env.WORKFLOW_BUNDLE_PATH) fs.writeFileSync(newBundle, (await bundleWorkflows()).code);
    });

    after(async () => {
      for (const worker of workers) await worker.stop().catch(() => undefined);
      await emulator?.close();
      await bridge?.stop();
      if (oldBundle) fs.rmSync(oldBundle, { force: true });
      if (newBundle && !process.env.WORKFLOW_BUNDLE_PATH) fs.rmSync(newBundle, { force: true });
    });

    it('publishes each held customer message once and in order, and delivers each held reply once, in order, and read', async (t) => {
      if ('unavailable' in previous) return;
      t.diagnostic(
        process.env.UPGRADE_FROM
          ? `previous version: ${previous.commit} (UPGRADE_FROM)`
          : `previous version: ${previous.commit.slice(0, 7)}, the parent of ${previous.changedBy.slice(0, 7)} "${previous.subject.slice(0, 80)}"`,
      );
      const account = await connectGeneric(bridge, emulator.callbackUrl);
      await emulator.control('/config', { bridgeUrl: `${bridge.apiUrl}/webhooks/generic/${account.accountId}` }, 'PUT');
      const threadKey = 'upgrade-customer';
      const threadId = await openThread(bridge, account, threadKey, {
        type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
        value: threadKey,
      });

      const old = await startWorker(bridge, oldBundle);
      workers.push(old);
      // HubSpot turns the account off (`active`; the rep's editor still takes replies): both directions are held.
      await turnAccount(bridge, account.accountId, false, 'active');
      const first = await sendGeneric(bridge, account, GENERIC_SECRET, threadKey, 'upgrade: first from the customer');
      await waitUntilHeld(bridge, first);
      const second = await sendGeneric(bridge, account, GENERIC_SECRET, threadKey, 'upgrade: second from the customer');
      const replyIds = [await replyAsRep(bridge, threadId, { text: 'upgrade: first reply' })];
      await waitUntilHeld(bridge, `outbound:${replyIds[0]}`);
      replyIds.push(await replyAsRep(bridge, threadId, { text: 'upgrade: second reply' }));
      const outbound = replyIds.map((id) => `outbound:${id}`);
      // The second message and reply have run on the old code too, and are idle (in line, or held) when it goes.
      for (const workflowId of [second, outbound[1]!]) await idleAfterAWorkflowTask(bridge, workflowId);

      assert.deepEqual(await customerMessages(bridge), [], 'nothing published while the account is off');
      assert.deepEqual(await deliveredReplies(emulator), [], 'nothing delivered while the account is off');

      await old.stop();
      workers.splice(workers.indexOf(old), 1);
      workers.push(await startWorker(bridge, newBundle));
      await turnAccount(bridge, account.accountId, true, 'active');

      const results = await Promise.all([first, second, ...outbound].map((id) => resultOnNewCode(bridge, id)));
      assert.match(JSON.stringify(results.slice(0, 2)), /hubspotMessageId/);
      assert.deepEqual(results.slice(2), [{ status: 'READ' }, { status: 'READ' }]);
      assert.deepEqual(
        await customerMessages(bridge),
        ['upgrade: first from the customer', 'upgrade: second from the customer'],
        'published once each, in order',
      );
      assert.deepEqual(
        await deliveredReplies(emulator),
        ['upgrade: first reply', 'upgrade: second reply'],
        'delivered once each, in order',
      );
      for (const id of replyIds) {
        const statuses = (await statusUpdates(bridge, id)).map((s) => s.statusType);
        assert.deepEqual(statuses, ['SENT', 'READ'], `HubSpot's status of reply ${id} moved forward only`);
      }
    });
  },
);

/**
 * The run's result, once it finished on the new code. A run the new code cannot replay never finishes: its workflow
 * task fails and is retried for ever, so after `timeoutMs` this fails with the task's last failure (the
 * nondeterminism).
 */
async function resultOnNewCode(bridge: TestBridge, workflowId: string, timeoutMs = 120_000): Promise<unknown> {
  const handle = bridge.client.workflow.getHandle(workflowId);
  const timedOut = Symbol('timed out');
  const result = await Promise.race([
    handle.result(),
    new Promise((r) => setTimeout(() => r(timedOut), timeoutMs).unref()),
  ]);
  if (result !== timedOut) return result;
  const { events } = await handle.fetchHistory();
  const failure = (events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).at(-1)
    ?.workflowTaskFailedEventAttributes?.failure?.message;
  assert.fail(
    `${workflowId} did not finish on the new code within ${timeoutMs / 1000} s: ${failure ? `its workflow task fails: ${failure}` : 'it is still waiting'}`,
  );
}

/**
 * Waits until the run has completed a workflow task and has no activity in flight: it is waiting on a signal or a
 * timer.
 */
async function idleAfterAWorkflowTask(bridge: TestBridge, workflowId: string): Promise<void> {
  const handle = bridge.client.workflow.getHandle(workflowId);
  await waitFor(
    async () => {
      const description = await handle.describe().catch(() => undefined);
      if (!description || description.raw.pendingActivities?.length) return undefined;
      const { events } = await handle.fetchHistory();
      const done = events?.some((e) => e.workflowTaskCompletedEventAttributes) ?? false;
      const scheduled = events?.filter((e) => e.activityTaskScheduledEventAttributes).length ?? 0;
      const closed =
        events?.filter((e) => e.activityTaskCompletedEventAttributes || e.activityTaskFailedEventAttributes).length ??
        0;
      return done && scheduled === closed && description.raw.pendingWorkflowTask == null ? true : undefined;
    },
    30_000,
    `${workflowId} idle on the old code`,
  );
}

/**
 * The customer's messages HubSpot has, in creation order, which is the thread's (the one openThread wrote is left out).
 */
async function customerMessages(bridge: TestBridge): Promise<string[]> {
  const { messages } = (await (await fetch(`${bridge.sandbox.url}/_sandbox/messages`)).json()) as {
    messages: HubSpotMessage[];
  };
  return messages.filter((m) => m.direction === 'INCOMING' && m.text.startsWith('upgrade:')).map((m) => m.text);
}

/** What reached the customer through the connector (its first copies: the connector drops a repeated webhook-id). */
async function deliveredReplies(emulator: Awaited<ReturnType<typeof startGenericEmulator>>): Promise<string[]> {
  const { events } = (await (await emulator.control('/received')).json()) as { events: Delivered[] };
  return events
    .filter((e) => e.answered < 300 && !e.duplicate && e.event?.type === 'message.created')
    .map((e) => e.event!.data.text ?? '');
}
