import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SenderTimes } from '../../packages/dev-tools/chaos/arrivals.js';
import { arrivedOutOfOrder } from '../../packages/dev-tools/chaos/count.js';

const at = (ack: number): SenderTimes => ({ first: ack, ack });

describe('counting what the senders delivered out of order', () => {
  it('counts each message acknowledged after a later one of its own conversation and direction', () => {
    const acks = new Map<string, SenderTimes>([
      // c001: 2 overtook 1, and 4 overtook 3: two messages reached the bridge late
      ['c001:in:1', at(300)],
      ['c001:in:2', at(200)],
      ['c001:in:3', at(500)],
      ['c001:in:4', at(400)],
      // c002 in order; its replies are another direction
      ['c002:in:1', at(100)],
      ['c002:in:2', at(150)],
      ['c002:out:1', at(900)],
      ['c002:out:2', at(800)],
    ]);
    assert.equal(arrivedOutOfOrder(acks, 'in'), 2);
    assert.equal(arrivedOutOfOrder(acks, 'out'), 1);
  });

  it('counts nothing for a sender that kept the order', () => {
    assert.equal(
      arrivedOutOfOrder(
        new Map([
          ['c001:in:1', at(1)],
          ['c001:in:2', at(2)],
        ]),
        'in',
      ),
      0,
    );
  });
});
