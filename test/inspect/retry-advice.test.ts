import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MessageStatus } from '../../packages/bridge/src/domain/signals.js';
import { refusalText, retryAdvice } from '../../packages/bridge/src/inspect/retry-advice.js';

const outbound = { workflowType: 'outboundMessageWorkflowV3', direction: 'outbound' };
const inbound = { workflowType: 'inboundMessageWorkflow', direction: 'inbound' };
const EXECUTION_STATUSES = ['RUNNING', 'COMPLETED', 'FAILED', 'TIMED_OUT', 'TERMINATED', 'CANCELLED'];

describe('retry advice: what messages list says of each status', () => {
  it('gives every status either a way to retry or a reason with what to do instead', () => {
    for (const kind of [inbound, outbound]) {
      for (const executionStatus of EXECUTION_STATUSES) {
        for (const status of [...Object.values(MessageStatus), undefined]) {
          const advice = retryAdvice({ ...kind, executionStatus, status });
          assert.ok(
            advice.label.length > 0 && advice.reason.length > 20,
            `${kind.direction} ${executionStatus} ${status}`,
          );
          assert.equal(
            advice.retryable,
            advice.kind !== undefined,
            `${kind.direction} ${executionStatus} ${status}: a kind exactly when retryable`,
          );
          assert.equal(advice.retryable, !advice.label.startsWith('no:'));
        }
      }
    }
  });

  it('resends a reply whose workflow completed with result FAILED, or whose run ended before it was delivered', () => {
    assert.equal(retryAdvice({ ...outbound, executionStatus: 'COMPLETED', status: 'FAILED' }).kind, 'resend');
    assert.equal(retryAdvice({ ...outbound, executionStatus: 'TERMINATED', status: 'ACCEPTED' }).kind, 'resend');
    assert.equal(retryAdvice({ ...outbound, executionStatus: 'FAILED', status: 'HELD' }).kind, 'resend');
    assert.match(
      retryAdvice({ ...outbound, executionStatus: 'COMPLETED', status: 'FAILED' }).reason,
      /parts the customer already has are not sent again.*FAILED to SENT/,
    );
  });

  it('resets an inbound message whose run failed, as before', () => {
    for (const executionStatus of ['FAILED', 'TIMED_OUT', 'TERMINATED', 'CANCELLED']) {
      assert.equal(retryAdvice({ ...inbound, executionStatus, status: 'FAILED' }).kind, 'reset', executionStatus);
    }
  });

  it('refuses held, in-flight, delivered and published messages, saying why', () => {
    assert.equal(retryAdvice({ ...outbound, executionStatus: 'RUNNING', status: 'HELD' }).label, 'no: held');
    assert.match(
      retryAdvice({ ...inbound, executionStatus: 'RUNNING', status: 'HELD' }).reason,
      /turned on in HubSpot.*goes on by itself/,
    );
    assert.equal(retryAdvice({ ...outbound, executionStatus: 'RUNNING', status: 'ACCEPTED' }).label, 'no: in flight');
    assert.equal(retryAdvice({ ...inbound, executionStatus: 'RUNNING', status: undefined }).label, 'no: in flight');
    for (const status of ['SENT', 'READ']) {
      assert.equal(retryAdvice({ ...outbound, executionStatus: 'RUNNING', status }).label, 'no: delivered');
      assert.equal(retryAdvice({ ...outbound, executionStatus: 'COMPLETED', status }).label, 'no: delivered');
      // Cut short while it waited for receipts: still delivered.
      assert.equal(retryAdvice({ ...outbound, executionStatus: 'TERMINATED', status }).label, 'no: delivered');
    }
    assert.equal(retryAdvice({ ...inbound, executionStatus: 'COMPLETED', status: 'PUBLISHED' }).label, 'no: published');
  });

  it('words a refusal so scripts that match "not failed: nothing to retry" keep working', () => {
    const facts = { ...inbound, executionStatus: 'COMPLETED', status: 'PUBLISHED' };
    assert.equal(
      refusalText('inbound:1:m', facts, retryAdvice(facts)),
      'inbound:1:m is COMPLETED, not failed: nothing to retry (PUBLISHED: the message is in HubSpot)',
    );
  });
});
