import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { messageStatusOf, statusClause } from '../../packages/bridge/src/domain/message-visibility.js';
import { AccountIdKey, StatusKey } from '../../packages/bridge/src/domain/search-attributes.js';
import { INBOUND_WORKFLOW_TYPE } from '../../packages/bridge/src/domain/workflow-types.js';
import { inboundWorkflowId } from '../../packages/bridge/src/domain/ids.js';
import type { InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import {
  listMessages,
  MessageNotFound,
  showMessage,
  type InspectContext,
} from '../../packages/bridge/src/inspect/index.js';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { waitFor } from '../helpers/temporal.js';

describe('what a version 3 inbound message no longer sets, derived', () => {
  let bridge: TestBridge;
  let ctx: InspectContext;
  let published: string;
  let hubspotMessageId: string;
  /** A V3 run no worker polls for: Running with BridgeStatus ACCEPTED, as a message in flight is. */
  let inFlight: string;

  before(async () => {
    bridge = await startTestBridge();
    ctx = { client: bridge.client, namespace: 'default', uiUrl: 'http://ui.test', mappings: bridge.store };
    const payload = messageCreated({ threadKey: 'derived-chat' });
    const request = signedGenericRequest(bridge.signingSecret, payload);
    const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    assert.equal(res.status, 200);
    published = `inbound:${bridge.account.accountId}:${payload.data.messageId}`;
    ({ hubspotMessageId } = (await bridge.client.workflow.getHandle(published).result()) as {
      hubspotMessageId: string;
    });
    inFlight = `inbound:${bridge.account.accountId}:in-flight-${randomUUID()}`;
    await bridge.client.workflow.start(INBOUND_WORKFLOW_TYPE, {
      workflowId: inFlight,
      taskQueue: `nobody-polls-${randomUUID()}`,
      args: [],
      typedSearchAttributes: [
        { key: AccountIdKey, value: bridge.account.accountId },
        { key: StatusKey, value: 'ACCEPTED' },
      ],
    });
  });
  after(async () => {
    await bridge.client.workflow.getHandle(inFlight).terminate('test over');
    await bridge.stop();
  });

  const listed = (filter: { status?: string; direction?: string }) =>
    waitFor(
      async () => {
        const found = await listMessages(ctx, { account: bridge.account.accountId, ...filter });
        // Visibility catches up with a completed run a moment later: wait until it shows the published one closed.
        return found.some((m) => m.workflowId === published && m.executionStatus === 'COMPLETED') ||
          (filter.status === 'ACCEPTED' && found.some((m) => m.workflowId === inFlight))
          ? found.map((m) => m.workflowId)
          : undefined;
      },
      30_000,
      `messages listed with ${JSON.stringify(filter)}`,
    );

  it('sets no BridgeStatus PUBLISHED on the run: the completion says it', async () => {
    const described = await bridge.client.workflow.getHandle(published).describe();
    assert.equal(described.typedSearchAttributes.get(StatusKey), 'ACCEPTED');
    assert.equal(described.status.name, 'COMPLETED');
  });

  it('lists a completed V3 run as PUBLISHED, and not as ACCEPTED, whose running runs it keeps', async () => {
    const publishedOnes = await listed({ status: 'published' });
    assert.ok(publishedOnes.includes(published), 'the completed run is PUBLISHED');
    assert.ok(!publishedOnes.includes(inFlight), 'a running one is not');
    const accepted = await listed({ status: 'ACCEPTED' });
    assert.ok(accepted.includes(inFlight), 'a running run with ACCEPTED is ACCEPTED');
    assert.ok(!accepted.includes(published), 'the completed run is not ACCEPTED');
    const [row] = (await listMessages(ctx, { account: bridge.account.accountId, status: 'PUBLISHED' })).filter(
      (m) => m.workflowId === published,
    );
    assert.equal(row?.status, 'PUBLISHED');
    assert.equal(row?.direction, 'inbound');
    assert.equal(row?.hubspotMessageId, hubspotMessageId, "the store's mapping names its HubSpot id");
  });

  it('filters by direction through the workflow type', async () => {
    assert.ok((await listed({ direction: 'inbound' })).includes(published));
    const outbound = await listMessages(ctx, { account: bridge.account.accountId, direction: 'outbound' });
    assert.deepEqual(outbound, []);
  });

  it("counts it among the published with the console's query", async () => {
    const { count } = await bridge.client.workflow.count(
      `WorkflowId = "${published}" AND ${statusClause('PUBLISHED')}`,
    );
    assert.equal(count, 1);
  });

  it('finds it by its HubSpot message id through the store, and shows it PUBLISHED, inbound, with its provider', async () => {
    const report = await showMessage(ctx, hubspotMessageId);
    assert.equal(report.workflowId, published);
    assert.equal(report.status, 'PUBLISHED');
    assert.equal(report.direction, 'inbound');
    assert.equal(report.provider, 'generic');
    assert.equal(report.hubspotMessageId, hubspotMessageId);
    assert.equal(report.retry.label, 'no: published');
    assert.deepEqual(
      report.timeline.filter((e) => e.kind === 'status').map((e) => [e.name, e.detail]),
      [['PUBLISHED', 'by completing']],
    );
    assert.deepEqual(
      report.attempts.map((a) => a.status),
      ['PUBLISHED'],
    );
  });

  it('is not found by its HubSpot id without the store: visibility does not have it', async () => {
    await assert.rejects(showMessage({ ...ctx, mappings: undefined }, hubspotMessageId), MessageNotFound);
  });

  it('upserts PUBLISHED when a V3 run began HELD (a fresh run of a held message inherits its attributes)', async () => {
    const chatId = `inherited-${randomUUID()}`;
    const message = {
      accountId: bridge.account.accountId,
      provider: 'generic',
      providerMessageId: `m-${randomUUID()}`,
      providerChatId: chatId,
      conversationKey: `${bridge.account.accountId}:${chatId}`,
      sender: { id: chatId },
      text: 'written during a long hold',
      media: [],
      sentAt: new Date().toISOString(),
    } as unknown as InboundMessage;
    const workflowId = inboundWorkflowId(message.accountId, message.providerMessageId);
    // As continue-as-new starts the fresh run: the held run's attributes, and what it had done.
    const handle = await bridge.client.workflow.start(INBOUND_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: bridge.taskQueue,
      args: [message, { resumed: { carried: [], heldSince: Date.now() } }],
      typedSearchAttributes: [
        { key: AccountIdKey, value: message.accountId },
        { key: StatusKey, value: 'HELD' },
      ],
    });
    await handle.result();
    const described = await handle.describe();
    assert.equal(described.typedSearchAttributes.get(StatusKey), 'PUBLISHED', 'a completed run never shows HELD');
  });

  it('derives PUBLISHED only for a completed V3 or V4 run still ACCEPTED', () => {
    const v3 = { workflowType: 'inboundMessageWorkflowV3', executionStatus: 'COMPLETED' };
    assert.equal(messageStatusOf({ ...v3, status: 'ACCEPTED' }), 'PUBLISHED');
    assert.equal(messageStatusOf({ ...v3, workflowType: 'inboundMessageWorkflowV4', status: 'ACCEPTED' }), 'PUBLISHED');
    assert.equal(messageStatusOf({ ...v3, status: 'FAILED' }), 'FAILED');
    assert.equal(messageStatusOf({ ...v3, executionStatus: 'RUNNING', status: 'ACCEPTED' }), 'ACCEPTED');
    assert.equal(messageStatusOf({ ...v3, workflowType: 'inboundMessageWorkflowV2', status: 'ACCEPTED' }), 'ACCEPTED');
  });
});
