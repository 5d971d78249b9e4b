import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TurnQueue } from '../../src/workflows/conversation-queue.js';

const at = (s: number) => new Date(Date.UTC(2026, 10, 24, 12, 0, s)).toISOString();

describe('TurnQueue (a conversation\'s turns)', () => {
  it('grants one turn at a time, in send-time order, with arrival order among equal times', () => {
    const q = new TurnQueue();
    q.add({ workflowId: 'b', sentAt: at(2) });
    q.add({ workflowId: 'a', sentAt: at(1) });
    q.add({ workflowId: 'b2', sentAt: at(2) });
    assert.equal(q.grantNext()?.workflowId, 'a');
    assert.equal(q.grantNext(), undefined, 'no second turn while one is held');
    q.done('a');
    assert.deepEqual([q.grantNext()?.workflowId, (q.done('b'), q.grantNext()?.workflowId)], ['b', 'b2']);
  });

  it('absorbs a repeated enqueue of a waiting, current or recently finished message', () => {
    const q = new TurnQueue();
    assert.equal(q.add({ workflowId: 'm1', sentAt: at(1) }), true);
    assert.equal(q.add({ workflowId: 'm1', sentAt: at(1) }), false);
    q.grantNext();
    assert.equal(q.add({ workflowId: 'm1', sentAt: at(1) }), false);
    q.done('m1');
    assert.equal(q.add({ workflowId: 'm1', sentAt: at(1) }), false);
    assert.equal(q.isIdle(), true);
  });

  it('drops a waiting message that finished without its turn', () => {
    const q = new TurnQueue();
    q.add({ workflowId: 'm1', sentAt: at(1) });
    q.add({ workflowId: 'm2', sentAt: at(2) });
    q.done('m2');
    assert.equal(q.grantNext()?.workflowId, 'm1');
    q.done('m1');
    assert.equal(q.hasPending(), false);
  });

  it('survives a snapshot (continue-as-new) with its holder, waiters and memory of finished ids', () => {
    const q = new TurnQueue();
    q.add({ workflowId: 'm1', sentAt: at(1) });
    q.add({ workflowId: 'm2', sentAt: at(2) });
    q.grantNext();
    q.add({ workflowId: 'm0', sentAt: at(0) });
    const copy = new TurnQueue(JSON.parse(JSON.stringify(q.snapshot())));
    assert.equal(copy.current?.workflowId, 'm1');
    copy.done('m1');
    assert.equal(copy.grantNext()?.workflowId, 'm0');
    assert.equal(copy.add({ workflowId: 'm1', sentAt: at(1) }), false);
  });

  it('remembers at most 500 finished ids', () => {
    const q = new TurnQueue();
    for (let i = 0; i < 600; i += 1) q.done(`m${i}`);
    assert.equal(q.snapshot().recentDone.length, 500);
    assert.equal(q.add({ workflowId: 'm0', sentAt: at(0) }), true, 'the oldest was forgotten');
  });
});
