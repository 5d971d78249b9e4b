import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { withinDeadline } from '../../packages/bridge/src/api/temporal-deadline.js';
import { startRefusal } from '../../packages/bridge/src/api/temporal-refusal.js';
import { connectClient } from '../helpers/temporal.js';

/** What the sender hears when the real Temporal server does not take a start. */
describe('a start Temporal did not take', () => {
  let client: Client;
  let close: () => Promise<void>;
  before(async () => ({ client, close } = await connectClient()));
  after(() => close?.());

  const refusalOf = async (start: () => Promise<unknown>) => {
    try {
      await start();
    } catch (error) {
      return startRefusal(error);
    }
    assert.fail('Temporal took the start');
  };

  it("is a 422 with Temporal's reason when Temporal refuses the input itself, so the sender stops retrying it", async () => {
    const refusal = await refusalOf(() =>
      client.workflow.start('inboundMessageWorkflow', {
        workflowId: `x${'y'.repeat(2_000)}`,
        taskQueue: 'nowhere',
        args: [],
      }),
    );
    assert.equal(refusal.status, 422);
    assert.match(refusal.reason, /^the workflow engine refuses this message: .+/);
  });

  it('is a 503 when Temporal did not answer in time, so the sender retries', async () => {
    const refusal = await refusalOf(() =>
      withinDeadline(
        client,
        () =>
          client.workflow.start('inboundMessageWorkflow', {
            workflowId: `late-${Date.now()}`,
            taskQueue: 'nowhere',
            args: [],
          }),
        1,
      ),
    );
    assert.equal(refusal.status, 503);
    assert.equal(refusal.reason, 'the workflow engine is unavailable; retry later');
  });
});
