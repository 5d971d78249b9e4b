/**
 * The runs `npm run record-histories` records. Each scenario drives the whole system (sandbox HubSpot, emulators,
 * api, worker) the way a customer, a rep or an admin would, and names the workflow behind each fixture it records;
 * what each run must have ended as is in ./expected.ts.
 */
import { accountStateChanged } from '../../packages/bridge/src/domain/signals.js';
import { IN_STEP_TURN_WAIT_MS } from '../../packages/bridge/src/activities/inbound-one-step.js';
import { addFault } from '../../packages/sandbox/src/hubspot/faults.js';
import { HISTORY_BUDGET } from '../../packages/bridge/src/workflows/history-budget.js';
import { GENERIC_SECRET, startGenericEmulator } from '../../test/helpers/generic-emulator.js';
import { gif, openThread, replyAsRep, uploadRepFile, waitForStatus } from '../../test/helpers/outbound-world.js';
import { SAMPLES } from '../../test/helpers/whatsapp-media.js';
import type { RecordedFixture } from './expected.js';
import {
  connectGeneric,
  sendGeneric,
  turnAccount,
  unknownAccount,
  waitUntilHeld,
  type RecordingWorld,
} from './world.js';
import { ACCOUNT_CACHE_TTL_MS } from '../../packages/bridge/src/store/account-cache.js';

export interface Scenario {
  /** The fixtures it records, each the run of one workflow. */
  readonly records: readonly RecordedFixture[];
  /**
   * A commit whose workflow code the runs start on: a run of the shape from before a patch, as one in flight when the
   * patch was deployed. @default the working tree's code
   */
  readonly code?: string;
  /** How long each recorded run may take to close after the scenario returns. @default 30 s */
  readonly settleMs?: number;
  /** Drives the system; returns the workflow id behind each of `records`. */
  run(world: RecordingWorld): Promise<Partial<Record<RecordedFixture, string>>>;
}

const outboundId = (hubspotMessageId: string) => `outbound:${hubspotMessageId}`;

/** A generic account whose replies go to a connector emulator that sends `delivered` and `read` receipts back. */
async function genericWithReceipts(world: RecordingWorld) {
  const emulator = await startGenericEmulator({ autoReceipts: ['delivered', 'read'] });
  world.cleanups.push(() => emulator.close());
  const account = await connectGeneric(world.bridge, emulator.callbackUrl);
  await emulator.control(
    '/config',
    { bridgeUrl: `${world.bridge.apiUrl}/webhooks/generic/${account.accountId}` },
    'PUT',
  );
  return account;
}

export const scenarios: Scenario[] = [
  {
    records: ['inboundMessageWorkflowV4-published'],
    async run({ bridge }) {
      return {
        'inboundMessageWorkflowV4-published': await sendGeneric(
          bridge,
          bridge.account,
          bridge.signingSecret,
          'record-published',
        ),
      };
    },
  },
  {
    records: ['inboundMessageWorkflowV4-failed-after-retry'],
    async run({ bridge }) {
      const pathContains = `/custom-channels/${bridge.sandbox.channelId}/messages`;
      addFault(bridge.sandboxState, { kind: 'status', status: 503, pathContains, method: 'POST', count: 2 });
      addFault(bridge.sandboxState, { kind: 'status', status: 400, pathContains, method: 'POST', count: 1 });
      return {
        'inboundMessageWorkflowV4-failed-after-retry': await sendGeneric(
          bridge,
          bridge.account,
          bridge.signingSecret,
          'record-failed',
        ),
      };
    },
  },
  {
    // Off in HubSpot: the first message is held and the second waits in line behind it (past its wait inside its one
    // step); on again: both are published.
    // The account's lifecycle workflow followed both events and ends after a quiet minute.
    records: [
      'inboundMessageWorkflowV4-held-released',
      'inboundMessageWorkflowV4-waited-in-line',
      'accountLifecycleWorkflow-updated',
    ],
    settleMs: 100_000,
    async run({ bridge }) {
      const account = await connectGeneric(bridge);
      await turnAccount(bridge, account.accountId, false);
      const held = await sendGeneric(
        bridge,
        account,
        GENERIC_SECRET,
        'record-held',
        'written while the account was off',
      );
      await waitUntilHeld(bridge, held);
      const inLine = await sendGeneric(bridge, account, GENERIC_SECRET, 'record-held', 'and one more');
      // Past the second message's wait inside its one step, so it waits durably (for the wake-up signal).
      await new Promise((resolve) => setTimeout(resolve, IN_STEP_TURN_WAIT_MS + 1_000));
      await turnAccount(bridge, account.accountId, true);
      return {
        'inboundMessageWorkflowV4-held-released': held,
        'inboundMessageWorkflowV4-waited-in-line': inLine,
        'accountLifecycleWorkflow-updated': `account:${account.accountId}`,
      };
    },
  },
  {
    // A hold long enough to spend the run's history budget (each look at the account costs events; here the account
    // is re-reported off many times, as a week of rechecks would): the run hands over to a fresh one, which publishes
    // once the account is on again.
    records: ['inboundMessageWorkflowV4-held-continued-as-new'],
    settleMs: 60_000,
    async run({ bridge }) {
      const account = await connectGeneric(bridge);
      await turnAccount(bridge, account.accountId, false);
      const workflowId = await sendGeneric(
        bridge,
        account,
        GENERIC_SECRET,
        'record-long-hold',
        'written during a long hold',
      );
      await waitUntilHeld(bridge, workflowId);
      const handle = bridge.client.workflow.getHandle(workflowId);
      const { runId: firstRun } = await handle.describe();
      // Each signal costs a signal event and, unless it shares one, a workflow task: signal until the run hands over.
      const handedOver = async () => (await handle.describe()).runId !== firstRun;
      for (let sent = 0; !(await handedOver()); sent += 50) {
        if (sent > 2 * HISTORY_BUDGET) throw new Error(`the held run did not continue as new after ${sent} signals`);
        for (let i = 0; i < 50; i++) await handle.signal(accountStateChanged, { authorized: false, removed: false });
        await new Promise((r) => setTimeout(r, 200));
      }
      await turnAccount(bridge, account.accountId, true);
      await handle.result();
      return { 'inboundMessageWorkflowV4-held-continued-as-new': `${workflowId}@${firstRun}` };
    },
  },
  {
    // The main path: resolve, plan, deliver through the generic connector emulator, SENT, then the READ receipt.
    records: ['outboundMessageWorkflowV3-delivered-read'],
    settleMs: 90_000,
    async run(world) {
      const account = await genericWithReceipts(world);
      const threadId = await openThread(world.bridge, account, 'record-outbound', {
        type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
        value: 'record-customer',
      });
      return {
        'outboundMessageWorkflowV3-delivered-read': outboundId(
          await replyAsRep(world.bridge, threadId, { text: 'On it!' }),
        ),
      };
    },
  },
  {
    // HubSpot deactivates the account (`active`; its editor still takes the reply): the reply is held; active again:
    // it is delivered and read. (An admin's switch, `authorized`, would stop the rep's editor from sending at all.)
    records: ['outboundMessageWorkflowV3-held-delivered'],
    settleMs: 90_000,
    async run(world) {
      const { bridge } = world;
      const account = await genericWithReceipts(world);
      const threadId = await openThread(bridge, account, 'record-outbound-held', {
        type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
        value: 'record-held-customer',
      });
      await turnAccount(bridge, account.accountId, false, 'active');
      const workflowId = outboundId(await replyAsRep(bridge, threadId, { text: 'Sorry for the wait' }));
      await waitUntilHeld(bridge, workflowId);
      await turnAccount(bridge, account.accountId, true, 'active');
      return { 'outboundMessageWorkflowV3-held-delivered': workflowId };
    },
  },
  {
    records: ['outboundMessageWorkflowV3-failed-refused-file'],
    async run({ bridge, whatsapp }) {
      const { threadId } = await whatsapp.customer();
      const files = [
        await uploadRepFile(bridge, 'invoice.pdf', 'application/pdf', SAMPLES.pdf()),
        await uploadRepFile(bridge, 'dance.gif', 'image/gif', gif()),
      ];
      const messageId = await replyAsRep(bridge, threadId, {
        text: 'Your invoice, and a little dance',
        fileIds: files,
      });
      await waitForStatus(bridge, messageId, 'FAILED', 60_000);
      return { 'outboundMessageWorkflowV3-failed-refused-file': outboundId(messageId) };
    },
  },
  {
    records: ['outboundMessageWorkflowV3-unroutable'],
    async run({ bridge }) {
      const elsewhere = await unknownAccount(bridge);
      const threadId = await openThread(bridge, elsewhere, 'record-unroutable', {
        type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
        value: 'record-unroutable-customer',
      });
      const messageId = await replyAsRep(bridge, threadId, { text: 'Nobody will deliver this' });
      await waitForStatus(bridge, messageId, 'FAILED', 60_000);
      return { 'outboundMessageWorkflowV3-unroutable': outboundId(messageId) };
    },
  },
  {
    // The customer wrote just now; the emulator's clock then moves past their 24-hour window (as
    // test/e2e/outbound-whatsapp.test.ts).
    records: ['outboundMessageWorkflowV3-whatsapp-window-template-read'],
    settleMs: 60_000,
    async run({ bridge, whatsapp }) {
      const { account, control } = whatsapp;
      await bridge.store.upsertAccount({
        ...account,
        credentials: { ...account.credentials, windowTemplate: 'support_follow_up', windowTemplateLanguage: 'en_US' },
      });
      // The worker's account cache must not still hold the account without its template.
      await new Promise((r) => setTimeout(r, ACCOUNT_CACHE_TTL_MS));
      const { threadId } = await whatsapp.customer();
      await control('POST', '/clock', { advanceMs: 25 * 3_600_000 });
      try {
        const messageId = await replyAsRep(bridge, threadId, { text: 'Your order shipped today' });
        await waitForStatus(bridge, messageId, 'READ', 60_000);
        return { 'outboundMessageWorkflowV3-whatsapp-window-template-read': outboundId(messageId) };
      } finally {
        await control('POST', '/clock', { advanceMs: -25 * 3_600_000 });
        await bridge.store.upsertAccount(account);
      }
    },
  },
  {
    // Statuses by hand: `failed` with 131000 (Meta: retry), the bridge sends the message again after 5 s, then `read`
    // for the new one.
    records: ['outboundMessageWorkflowV3-whatsapp-resent-read'],
    settleMs: 60_000,
    async run({ bridge, whatsapp }) {
      const { control } = whatsapp;
      await control('POST', '/status-mode', { mode: 'manual' });
      try {
        const { waId, threadId } = await whatsapp.customer();
        const messageId = await replyAsRep(bridge, threadId, { text: 'Your refund is on its way' });
        await waitForStatus(bridge, messageId, 'SENT', 60_000);
        const [first] = await whatsapp.sentTo(waId);
        await control('POST', '/statuses', { messageId: first!.wamid, status: 'failed', errorCode: 131000 });
        const deadline = Date.now() + 30_000;
        let sent = await whatsapp.sentTo(waId);
        for (; sent.length < 2 && Date.now() < deadline; sent = await whatsapp.sentTo(waId))
          await new Promise((r) => setTimeout(r, 250));
        if (sent.length < 2) throw new Error('the bridge did not send the failed message again within 30 s');
        await control('POST', '/statuses', { messageId: sent[1]!.wamid, status: 'read' });
        await waitForStatus(bridge, messageId, 'READ', 60_000);
        return { 'outboundMessageWorkflowV3-whatsapp-resent-read': outboundId(messageId) };
      } finally {
        await control('POST', '/status-mode', { mode: 'in_order' });
      }
    },
  },
  {
    // Before `window-template` (e4e8a61, the commit before 6564637): the refused free-form text is FAILED as it came.
    records: ['outboundMessageWorkflow-whatsapp-window-closed-failed-v0'],
    code: 'e4e8a61',
    async run({ bridge, whatsapp }) {
      const { threadId } = await whatsapp.customer();
      await whatsapp.control('POST', '/clock', { advanceMs: 25 * 3_600_000 });
      try {
        const messageId = await replyAsRep(bridge, threadId, { text: 'Your order shipped today' });
        await waitForStatus(bridge, messageId, 'FAILED', 60_000);
        return { 'outboundMessageWorkflow-whatsapp-window-closed-failed-v0': outboundId(messageId) };
      } finally {
        await whatsapp.control('POST', '/clock', { advanceMs: -25 * 3_600_000 });
      }
    },
  },
  {
    // Before `resend-temporary-failure` (1866385, the commit before 5aec65c): a 131000 status is FAILED as it came.
    records: ['outboundMessageWorkflow-whatsapp-temporary-failure-failed-v0'],
    code: '1866385',
    async run({ bridge, whatsapp }) {
      const { control } = whatsapp;
      await control('POST', '/status-mode', { mode: 'manual' });
      try {
        const { waId, threadId } = await whatsapp.customer();
        const messageId = await replyAsRep(bridge, threadId, { text: 'Your refund is on its way' });
        await waitForStatus(bridge, messageId, 'SENT', 60_000);
        const [first] = await whatsapp.sentTo(waId);
        await control('POST', '/statuses', { messageId: first!.wamid, status: 'failed', errorCode: 131000 });
        await waitForStatus(bridge, messageId, 'FAILED', 60_000);
        return { 'outboundMessageWorkflow-whatsapp-temporary-failure-failed-v0': outboundId(messageId) };
      } finally {
        await control('POST', '/status-mode', { mode: 'in_order' });
      }
    },
  },
];
