import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OutgoingDelivery } from '../../packages/sandbox/src/generic/state.js';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startGenericEmulator } from '../helpers/generic-emulator.js';
import { INBOUND_WORKFLOW_TYPE } from '../../packages/bridge/src/domain/workflow-types.js';

// The emulator against the real api route: what it sends is what the bridge accepts.
describe('generic emulator → bridge api', () => {
  let bridge: TestBridge;
  let emulator: Awaited<ReturnType<typeof startGenericEmulator>>;
  before(async () => {
    bridge = await startTestBridge({ worker: false });
    emulator = await startGenericEmulator({
      bridgeUrl: `${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`,
      signingSecret: bridge.signingSecret,
    });
  });
  after(async () => {
    await emulator.close();
    await bridge.stop();
  });
  const send = async (path: string, body: unknown) =>
    (await (await emulator.control(path, body)).json()) as { messageId: string; delivery: OutgoingDelivery };

  it('delivers a customer message with media that the bridge accepts and starts a workflow for', async () => {
    const { messageId, delivery } = await send('/messages?wait=true', {
      text: 'Photo of the parcel',
      attachments: [
        { kind: 'image', contentType: 'image/png', dataBase64: Buffer.from('png bytes').toString('base64') },
        {
          kind: 'voice',
          contentType: 'audio/ogg',
          durationSec: 1,
          dataBase64: Buffer.from('ogg bytes').toString('base64'),
          inline: true,
        },
      ],
    });
    assert.equal(delivery.outcome, 'delivered');
    const workflowId = `inbound:${bridge.account.accountId}:${messageId}`;
    assert.deepEqual(delivery.lastAnswer, { ok: true, accepted: [{ workflowId, duplicate: false }] });
    const description = await bridge.client.workflow.getHandle(workflowId).describe();
    assert.equal(description.type, INBOUND_WORKFLOW_TYPE);
  });

  it('delivers receipts that the bridge acknowledges', async () => {
    const { delivery } = await send('/statuses', { messageId: 'msg_abc', status: 'read' });
    assert.equal(delivery.outcome, 'delivered');
    assert.deepEqual(
      delivery.attempts.map((a) => a.status),
      [200],
    );
  });
});
