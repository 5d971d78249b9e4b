import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadRunResult } from '../../packages/dev-tools/bench/load-run.js';
import { refusalsOf } from '../../packages/dev-tools/bench/load/answers.js';
import type { RequestRecord } from '../../packages/dev-tools/bench/load/open-loop.js';
import { steadyCallsPerMessage } from '../../packages/dev-tools/bench/observe/calls-per-message.js';
import type { HistoryProfile } from '../../packages/dev-tools/bench/observe/history.js';
import { describeIdle, isIdle, type IdleState } from '../../packages/dev-tools/bench/observe/idle.js';
import { outOfOrder } from '../../packages/dev-tools/bench/observe/order.js';
import { ackCheck } from '../../packages/dev-tools/bench/report/ack-check.js';
import { backlogBinding } from '../../packages/dev-tools/bench/report/backlog-binding.js';
import { workflowShapes } from '../../packages/dev-tools/bench/report/shapes.js';
import type { BacklogResult } from '../../packages/dev-tools/bench/scenarios/backlog.js';
import type { ThroughputResult } from '../../packages/dev-tools/bench/scenarios/inbound.js';
import type { LatencySummary } from '../../packages/dev-tools/bench/stats.js';

const latency = (p99: number): LatencySummary => ({ count: 10, p50: p99 / 2, p90: p99, p99, max: p99, mean: p99 / 2 });

describe('outOfOrder', () => {
  it('counts nothing when each conversation was published in the order it was sent', () => {
    const items = [
      { thread: 'a', due: 1, order: 10 },
      { thread: 'b', due: 2, order: 5 },
      { thread: 'a', due: 3, order: 11 },
      { thread: 'b', due: 4, order: 12 },
    ];
    assert.equal(outOfOrder(items), 0);
  });

  it('counts each message published after a later message of the same conversation', () => {
    const items = [
      { thread: 'a', due: 1, order: 30 },
      { thread: 'a', due: 2, order: 10 },
      { thread: 'a', due: 3, order: 20 },
      { thread: 'b', due: 1, order: 1 },
    ];
    // #1 came after #2 and #3; #2 is before #3: one message overtaken.
    assert.equal(outOfOrder(items), 1);
  });
});

describe('refusalsOf', () => {
  const record = (status: number, retryAfter?: string): RequestRecord => ({
    id: String(Math.random()),
    dueAt: 0,
    sentAt: 0,
    doneAt: 1,
    status,
    ...(retryAfter ? { retryAfter } : {}),
  });

  it('counts 503s as shed load apart from failures, with the Retry-After values seen', () => {
    const r = refusalsOf([record(200), record(503, '2'), record(503, '1'), record(503), record(500), record(0)]);
    assert.deepEqual(r, { shed: 3, shedWithRetryAfter: 2, retryAfter: ['1', '2'], failed: 2 });
  });
});

describe('steadyCallsPerMessage', () => {
  it('leaves out the warm-up publishes and the calls before them', () => {
    // Two threads: the first two publishes each cost a thread creation and a publish; then one call per message.
    const publishes = [10, 20, 30, 40, 50];
    const calls = [5, 9, 15, 19, 30, 40, 50];
    assert.deepEqual(steadyCallsPerMessage(calls, publishes, 2), { calls: 2, messages: 2, perMessage: 1 });
  });

  it('says 0 when too few messages were published to have a steady state', () => {
    assert.deepEqual(steadyCallsPerMessage([1, 2], [3], 2), { calls: 0, messages: 0, perMessage: 0 });
  });
});

describe('idle checks', () => {
  const state = (over: Partial<IdleState> = {}): IdleState => ({
    openWorkflows: 0,
    openByType: {},
    pendingTasks: { 'channel-bridge/workflow': 0, 'channel-bridge/activity': null },
    catchUpHolds: 0,
    ...over,
  });

  it('is idle with nothing open, a queue without stats counting as unknown', () => {
    assert.equal(isIdle(state()), true);
    assert.match(
      describeIdle({ label: 'x', drained: true, waitedMs: 1200, state: state() }),
      /^drained after 1.2 s \(no backlog stats for channel-bridge\/activity\)$/,
    );
  });

  it('is not idle with an open workflow, a pending task or a catch-up hold, and says which', () => {
    assert.equal(isIdle(state({ catchUpHolds: 1 })), false);
    assert.equal(isIdle(state({ pendingTasks: { 'bench-bare/activity': 3 } })), false);
    const open = state({ openWorkflows: 2, openByType: { outboundMessageWorkflow: 2 }, catchUpHolds: 1 });
    assert.equal(
      describeIdle({ label: 'x', drained: false, waitedMs: 30_000, state: open }),
      'not drained after 30.0 s: 2 open workflows (outboundMessageWorkflow 2); 1 catch-up holds (no backlog stats for channel-bridge/activity)',
    );
  });
});

describe('workflowShapes', () => {
  const history = (events: number) => ({ eventsPerWorkflow: events }) as HistoryProfile;
  const ladder = (target: ThroughputResult['target'], maxSustained: number) =>
    ({ target, steps: [], maxSustained, capacity: maxSustained }) as ThroughputResult;

  it('gives each shape its figures and their ratios to the engine baseline', () => {
    const rows = workflowShapes(
      {
        bare: { messages: 60, ms: { temporal: 24, worker: 10, api: 3 } },
        bareLocal: { messages: 60, ms: { temporal: 17, worker: 8.5, api: 3 } },
        bridge: { messages: 60, ms: { temporal: 25, worker: 16 } },
      },
      [ladder('bare', 60), ladder('bareLocal', 80), ladder('bridge', 45)],
      { bare: history(11), bareLocal: history(6), bridge: history(15) },
    );
    assert.deepEqual(
      rows.map((r) => r.shape),
      ['bare', 'bareLocal', 'bridge'],
    );
    assert.deepEqual(rows[1]!.ratio, { events: 0.55, serverMs: 0.71, workerMs: 0.85, cpuMs: 0.75, sustained: 1.33 });
    assert.deepEqual(rows[0]!.ratio, { events: 1, serverMs: 1, workerMs: 1, cpuMs: 1, sustained: 1 });
  });

  it('leaves a ratio out where a figure is missing (the latency pass counts no histories)', () => {
    const rows = workflowShapes({ bridge: { messages: 1, ms: { temporal: 1, worker: 1 } } }, []);
    assert.equal(rows[2]!.ratio.cpuMs, undefined);
    assert.equal(rows[2]!.events, undefined);
  });
});

describe('ackCheck', () => {
  const run = (rate: number, p99: number, over: Partial<LoadRunResult> = {}) =>
    ({
      target: 'bridge',
      ratePerSecond: rate,
      sent: rate,
      accepted: rate,
      ack: latency(p99),
      answer: latency(p99),
      refusals: { shed: 0, shedWithRetryAfter: 0, retryAfter: [], failed: 0 },
      ...over,
    }) as LoadRunResult;

  it('is met when every sustained rate acks within 50 ms and above it the api sheds with Retry-After', () => {
    const shedding = run(500, 30, { refusals: { shed: 200, shedWithRetryAfter: 200, retryAfter: ['1'], failed: 0 } });
    const check = ackCheck([run(50, 10), run(200, 40), shedding], 200);
    assert.equal(check.met, true);
    assert.match(
      check.measured,
      /500\/s every answer p50 15 \/ p99 30 ms \(accepted p99 30 ms\), 200 × 503 \(200 with Retry-After 1 s\)/,
    );
  });

  it('is missed when a sustained rate acks slower than 50 ms, or refuses anything', () => {
    assert.equal(ackCheck([run(50, 10), run(200, 80)], 200).met, false);
    const shedAtRate = run(200, 20, { refusals: { shed: 1, shedWithRetryAfter: 1, retryAfter: ['2'], failed: 0 } });
    assert.equal(ackCheck([run(50, 10), shedAtRate], 200).met, false);
  });

  it("above the sustained rate, lets a sender wait within WhatsApp's standard (median 250 ms, p99 1 s), no longer", () => {
    const waited = (p50: number, p99: number) =>
      run(500, 600, {
        answer: { ...latency(p99), p50 },
        refusals: { shed: 50, shedWithRetryAfter: 50, retryAfter: ['2'], failed: 0 },
      });
    assert.equal(ackCheck([run(50, 10), waited(200, 900)], 200).met, true, 'accepted p99 600 ms above the rate');
    assert.equal(ackCheck([run(50, 10), waited(300, 900)], 200).met, false, 'median past 250 ms');
    assert.equal(ackCheck([run(50, 10), waited(200, 1_100)], 200).met, false, 'p99 past 1 s');
  });

  it('is missed when the api queues above its rate instead of shedding, or sheds without Retry-After', () => {
    assert.equal(ackCheck([run(50, 10), run(500, 2_000)], 200).met, false);
    const bare503 = run(500, 20, { refusals: { shed: 5, shedWithRetryAfter: 0, retryAfter: [], failed: 0 } });
    assert.equal(ackCheck([bare503], 200).met, false);
  });

  it('is not measured without a bridge ack run', () => {
    assert.equal(ackCheck([], 0).met, undefined);
  });
});

describe('backlogBinding', () => {
  const backlog = (shares: number[], cpuCores?: Record<string, number>) =>
    ({
      portals: shares.map((shareOfLimit, i) => ({ portalId: String(i), shareOfLimit })),
      ...(cpuCores ? { cpuCores } : {}),
    }) as unknown as BacklogResult;

  it('says the limit binds when every portal ran at its limit', () => {
    assert.equal(backlogBinding(backlog([0.95, 0.93], { worker: 0.4, temporal: 0.3 }), 2).binds, 'limit');
  });

  it('says the CPU binds when the portals lag and the worker or the machine is saturated', () => {
    assert.equal(backlogBinding(backlog([0.4, 0.38], { worker: 0.97, temporal: 0.5 }), 2).binds, 'cpu');
    assert.equal(backlogBinding(backlog([0.4], { worker: 0.7, temporal: 1.1 }), 2).binds, 'cpu');
  });

  it('says neither when the portals lag with CPU to spare', () => {
    const binding = backlogBinding(backlog([0.5], { worker: 0.3, temporal: 0.2 }), 2);
    assert.equal(binding.binds, 'neither');
    assert.match(binding.why, /slowest portal at 50 % of its limit/);
  });
});
