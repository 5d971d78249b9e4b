import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isWindowClosed } from '../../packages/bridge/src/workflows/outbound-receipts.js';

// The code travels from the provider's status webhook (normalise → provider-webhook → route-receipt → signal);
// test/e2e/outbound-whatsapp.test.ts follows it end to end. Here: what the workflow reads from it.
describe("a receipt's provider error code", () => {
  const reason = "outside WhatsApp's 24-hour window: the customer must write first, or use a template (131047)";

  it('names a failure because the window closed, whether the code came as a number or a string', () => {
    assert.ok(isWindowClosed({ providerMessageId: 'w', status: 'failed', code: 131047 }));
    assert.ok(isWindowClosed({ providerMessageId: 'w', status: 'failed', code: '131047' }));
    assert.ok(!isWindowClosed({ providerMessageId: 'w', status: 'failed', code: 131026 }));
    assert.ok(!isWindowClosed({ providerMessageId: 'w', status: 'read', code: 131047 }), 'only a failure');
    assert.ok(!isWindowClosed({ providerMessageId: 'w', status: 'failed', reason }), 'an old signal without a code');
  });
});
