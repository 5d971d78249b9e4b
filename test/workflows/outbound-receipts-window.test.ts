import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isWindowClosed } from '../../packages/bridge/src/workflows/outbound-receipts.js';

describe("a receipt saying the customer's window had closed", () => {
  it("is known by the normaliser's windowClosed mark, whatever the code", () => {
    assert.equal(isWindowClosed({ providerMessageId: 'm1', status: 'failed', windowClosed: true, code: 'E42' }), true);
    assert.equal(isWindowClosed({ providerMessageId: 'm1', status: 'failed', windowClosed: true }), true);
  });

  it('is still known by the code alone, as signals recorded before the mark carry it', () => {
    assert.equal(isWindowClosed({ providerMessageId: 'm1', status: 'failed', code: 131047 }), true);
    assert.equal(isWindowClosed({ providerMessageId: 'm1', status: 'failed', code: '131047' }), true);
  });

  it('is not any other failure, nor a receipt that did not fail', () => {
    assert.equal(isWindowClosed({ providerMessageId: 'm1', status: 'failed', code: 131026 }), false);
    assert.equal(isWindowClosed({ providerMessageId: 'm1', status: 'failed' }), false);
    assert.equal(isWindowClosed({ providerMessageId: 'm1', status: 'delivered', windowClosed: true }), false);
  });
});
