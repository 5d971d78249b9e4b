import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  bucketOf,
  CORE_BRIDGE,
  GC,
  LOGGING,
  NODE,
  PROGRAM,
  SDK_STACKS,
  STORE,
  SDK_VM_ENTRY,
  SDK_WORKER,
  WORKFLOW_OURS,
  WORKFLOW_RUNTIME,
} from '../../packages/dev-tools/bench/worker-profile/buckets.js';
import { bundleSources } from '../../packages/dev-tools/bench/worker-profile/bundle-sources.js';
import { profileWorker } from '../../packages/dev-tools/bench/worker-profile/run-profile.js';
import {
  summariseProfiles,
  type CpuProfile,
  type CpuProfileNode,
} from '../../packages/dev-tools/bench/worker-profile/summarise.js';
import {
  ENDED,
  MAIN_THREAD,
  threadCpuBetween,
  WORKFLOW_THREAD,
} from '../../packages/dev-tools/bench/worker-profile/threads.js';

const root = path.resolve(import.meta.dirname, '../..');
const REPO = '/repo';
const BUNDLE = '/data/workflow-bundle.js';

/** A call tree from [id, parent, functionName, url, line]; the root is id 1. */
function tree(rows: readonly (readonly [number, number, string, string, number?])[]): CpuProfileNode[] {
  const nodes: CpuProfileNode[] = [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, children: [] },
  ];
  for (const [id, parent, functionName, url, line] of rows) {
    nodes.push({ id, callFrame: { functionName, url, lineNumber: line ?? 0, columnNumber: 0 }, children: [] });
    (nodes.find((n) => n.id === parent)!.children as number[]).push(id);
  }
  return nodes;
}

/** Samples 1 ms apart from t = 1000 µs; each counts until the next, so a closing idle sample ends the last one. */
function profile(nodes: CpuProfileNode[], hits: readonly number[], idleId: number): CpuProfile {
  const samples = [...hits, idleId];
  return { nodes, startTime: 0, endTime: 1000 * (samples.length + 1), samples, timeDeltas: samples.map(() => 1000) };
}

const mainNodes = tree([
  [2, 1, '(idle)', ''],
  [3, 1, '(program)', ''],
  [4, 1, '(garbage collector)', ''],
  [5, 1, 'handleActivation', `file://${REPO}/node_modules/@temporalio/worker/lib/worker.js`, 41],
  [6, 5, 'parse', ''], // JSON.parse: a builtin, the caller's cost
  [7, 5, 'workerCompleteWorkflowActivation', ''], // a native function of the core bridge
  [8, 1, 'info', `file://${REPO}/node_modules/pino/lib/proto.js`],
  [9, 8, 'writeSync', 'node:fs'], // Node's own module: the caller's cost
  [10, 1, 'getAccount', `file://${REPO}/src/store/sqlite/accounts.ts`, 8],
  [11, 1, 'processTimers', 'node:internal/timers'],
]);
// 2 idle, 1 program, 1 GC, SDK 1 + JSON.parse 2, native 1, pino 1 + fs 1, store 3, timers 1: 12 busy ms.
const mainProfile = profile(mainNodes, [2, 2, 3, 4, 5, 6, 6, 7, 8, 9, 10, 10, 10, 11], 2);

const workflowNodes = tree([
  [2, 1, '(idle)', ''],
  [3, 1, 'createWorkflow', `file://${REPO}/node_modules/@temporalio/worker/lib/workflow/reusable-vm.js`],
  [4, 3, 'runInContext', ''],
  [5, 4, 'inboundMessageWorkflow', BUNDLE, 10], // maps to src/workflows
  [6, 4, 'condition', BUNDLE, 20], // maps to @temporalio/workflow
  [7, 5, 'init', `file://${REPO}/node_modules/@temporalio/worker/lib/workflow/vm-shared.js`, 245],
  [8, 7, 'map', ''],
  [9, 8, '', `file://${REPO}/node_modules/@temporalio/worker/lib/workflow/vm-shared.js`, 205],
]);
// runInContext 4, ours 1, runtime 1, stack traces 1 + 1 + 2: 10 busy ms.
const workflowProfile = profile(workflowNodes, [4, 4, 4, 4, 5, 6, 7, 8, 9, 9, 2], 2);

const originalSource = (line: number) =>
  line === 10
    ? { source: `${REPO}/src/workflows/inbound-message.ts`, line: 30 }
    : line === 20
      ? { source: `${REPO}/node_modules/@temporalio/workflow/src/workflow.ts`, line: 7 }
      : undefined;
const options = {
  messages: 2,
  nativeNames: new Set(['workerCompleteWorkflowActivation']),
  bundle: { file: BUNDLE, originalSource },
  root: REPO,
};
const byBucket = (s: ReturnType<typeof summariseProfiles>) =>
  Object.fromEntries(s.buckets.map((b) => [b.bucket, b.cpuMs]));

describe('the worker profile summary', () => {
  it('splits self time into buckets that add up to the non-idle time, and divides it by the messages', () => {
    const s = summariseProfiles([{ thread: 'main', profile: mainProfile }], options);
    assert.equal(s.busyMs, 12);
    assert.equal(s.cpuMs, 12);
    assert.equal(s.cpuMsPerMessage, 6);
    assert.deepEqual(s.threads, [{ thread: 'main', busyMs: 12, idleMs: 2, cpuMs: 12 }]);
    assert.deepEqual(byBucket(s), {
      [SDK_WORKER]: 3,
      [STORE]: 3,
      [LOGGING]: 2,
      [PROGRAM]: 1,
      [GC]: 1,
      [CORE_BRIDGE]: 1,
      [NODE]: 1,
    });
    assert.equal(
      s.buckets.reduce((sum, b) => sum + b.cpuMs, 0),
      s.cpuMs,
    );
    assert.equal(s.buckets.find((b) => b.bucket === STORE)!.percent, 25);
    assert.equal(s.buckets.find((b) => b.bucket === STORE)!.cpuMsPerMessage, 1.5);
  });

  it("counts builtins and Node modules for their caller, and the core bridge's native functions on their own", () => {
    const s = summariseProfiles([{ thread: 'main', profile: mainProfile }], options);
    const top = s.topFunctions.map((f) => [f.functionName, f.file, f.bucket, f.cpuMs]);
    assert.deepEqual(top.slice(0, 2), [
      ['getAccount', 'src/store/sqlite/accounts.ts:9', STORE, 3],
      ['parse', '(V8 builtin or native)', SDK_WORKER, 2],
    ]);
    assert.deepEqual(
      top.find((f) => f[0] === 'writeSync'),
      ['writeSync', 'node:fs:1', LOGGING, 1],
    );
    assert.deepEqual(top.find((f) => f[0] === 'workerCompleteWorkflowActivation')?.[2], CORE_BRIDGE);
    assert.ok(
      !top.some((f) => String(f[0]).startsWith('(')),
      '(program) and (garbage collector) are buckets, not functions',
    );
  });

  it("maps bundled workflow code back to its sources, and splits the SDK's sandbox entry and stack traces out", () => {
    const s = summariseProfiles([{ thread: 'workflow thread', profile: workflowProfile }], options);
    assert.deepEqual(byBucket(s), { [SDK_VM_ENTRY]: 4, [SDK_STACKS]: 4, [WORKFLOW_OURS]: 1, [WORKFLOW_RUNTIME]: 1 });
    const ours = s.topFunctions.find((f) => f.functionName === 'inboundMessageWorkflow')!;
    assert.equal(ours.file, 'src/workflows/inbound-message.ts:31');
  });

  it('counts only the samples inside the window, a sample straddling an edge in part', () => {
    // Samples start at 1, 2, 3 … ms; the window [2.5 ms, 5 ms) holds half of the 2nd sample and the 3rd and 4th.
    const s = summariseProfiles([{ thread: 'main', profile: mainProfile }], {
      ...options,
      window: { fromUs: 2500, toUs: 5000 },
    });
    assert.equal(s.windowMs, 2.5);
    assert.equal(s.threads[0]!.idleMs, 0.5);
    assert.equal(s.busyMs, 2); // (program) and (garbage collector), 1 ms each
    assert.deepEqual(byBucket(s), { [PROGRAM]: 1, [GC]: 1 });
  });

  it("scales each thread's sampled time to the CPU it used, so the buckets are CPU time", () => {
    const s = summariseProfiles(
      [
        { thread: 'main', profile: mainProfile },
        { thread: 'workflow thread', profile: workflowProfile },
      ],
      { ...options, cpuMsByThread: { main: 6, 'workflow thread': 10 } },
    );
    assert.equal(s.busyMs, 22);
    assert.equal(s.cpuMs, 16);
    assert.equal(s.cpuMsPerMessage, 8);
    assert.equal(byBucket(s)[STORE], 1.5); // 3 of main's 12 sampled ms, main used 6 CPU ms
    assert.equal(byBucket(s)[SDK_VM_ENTRY], 4);
    assert.deepEqual(s.buckets.find((b) => b.bucket === SDK_WORKER)!.byThread, { main: 1.5 });
    assert.ok(Math.abs(s.buckets.reduce((sum, b) => sum + b.percent, 0) - 100) < 0.1);
  });

  it('names the buckets of our code and the libraries by path', () => {
    const at = (file: string, functionName = 'f') =>
      bucketOf({ functionName, file: `${REPO}/${file}`, inBundle: false });
    assert.equal(at('src/activities/inbound.ts'), 'our activities (src/activities)');
    assert.equal(
      at('src/metrics/activity-interceptor.ts'),
      'activity interceptors (src/metrics/activity-interceptor.ts)',
    );
    assert.equal(at('node_modules/prom-client/lib/counter.js'), 'metrics (prom-client, src/metrics)');
    assert.equal(
      at('node_modules/@hubspot/api-client/lib/index.js'),
      'HubSpot client (src/hubspot, @hubspot/api-client, node-fetch)',
    );
    assert.equal(
      at('node_modules/protobufjs/src/reader.js'),
      'protobuf (de)serialisation (protobufjs, @temporalio/proto)',
    );
    assert.equal(at('node_modules/better-sqlite3/lib/methods/transaction.js'), STORE);
    assert.equal(at('node_modules/@temporalio/core-bridge/index.js'), CORE_BRIDGE);
    assert.equal(at('node_modules/some-lib/index.js'), 'library: some-lib');
    assert.equal(
      bucketOf({ functionName: '__TEMPORAL_CALL_INTO_SCOPE', file: 'evalmachine.<anonymous>', inBundle: false }),
      SDK_VM_ENTRY,
    );
    assert.equal(
      bucketOf({
        functionName: 'processTicksAndRejections',
        file: 'node:internal/process/task_queues',
        inBundle: false,
      }),
      NODE,
    );
  });

  it("reads where bundled code came from out of the bundle's inline source map", () => {
    const dir = fs.mkdtempSync(path.join(root, '.tmp', 'bundle-map-'));
    try {
      const map = { version: 3, sources: ['/repo/src/workflows/a.ts'], names: [], mappings: 'AAAA;AACA' };
      const file = path.join(dir, 'bundle.js');
      fs.writeFileSync(
        file,
        `a();\nb();\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`,
      );
      const sources = bundleSources(file)!;
      assert.deepEqual(sources(1, 0), { source: '/repo/src/workflows/a.ts', line: 1 });
      fs.writeFileSync(file, 'a();\n');
      assert.equal(bundleSources(file), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("splits the worker's /proc CPU by kind of thread, what ended in between included", () => {
    const snap = (processMs: number, threads: [number, string, number][]) => ({
      processMs,
      threads: new Map(threads.map(([tid, name, ms]) => [tid, { name, ms }])),
    });
    const before = snap(1000, [
      [100, 'node', 500],
      [101, 'node', 100],
      [102, 'node', 50],
      [103, 'tokio-runtime-w', 200],
    ]);
    const after = snap(2000, [
      [100, 'node', 800],
      [101, 'node', 500],
      [102, 'node', 60],
      [103, 'tokio-runtime-w', 300],
      [104, 'v8:ProfEvntProc', 40],
    ]);
    assert.deepEqual(threadCpuBetween(100, before, after), {
      [MAIN_THREAD]: 300,
      [WORKFLOW_THREAD]: 400,
      'other node threads (V8 GC/compiler helpers, libuv, module loader)': 10,
      'Temporal core: Rust runtime (tokio threads)': 100,
      'the CPU profiler itself (v8:ProfEvntProc)': 40,
      [ENDED]: 150,
    });
  });
});

describe('npm run bench:profile, short', { timeout: 150_000 }, () => {
  it('profiles the worker through real messages, and its buckets account for all of its CPU', async () => {
    fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
    const dataDir = fs.mkdtempSync(path.join(root, '.tmp', 'worker-profile-test-'));
    try {
      const r = await profileWorker({
        dataDir,
        messages: 60,
        ratePerSecond: 20,
        warmupMessages: 10,
        drainTimeoutMs: 60_000,
        ...(process.env.WORKFLOW_BUNDLE_PATH ? { workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH } : {}),
      });
      assert.equal(r.sent, 60);
      assert.equal(r.published, 60, 'every message reached the HubSpot sandbox');
      assert.ok(
        r.profileFiles.some((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f)),
        `no main-thread profile in ${r.profileFiles.join(', ')}`,
      );
      const s = r.summary;
      assert.deepEqual(
        s.threads
          .map((t) => t.thread)
          .filter((t) => t === 'main' || t === 'workflow thread')
          .sort(),
        ['main', 'workflow thread'],
      );
      assert.ok(
        s.cpuMs > 0 && s.busyMs > 0 && s.windowMs > 2_000,
        `cpu ${s.cpuMs} ms, sampled ${s.busyMs} ms, window ${s.windowMs} ms`,
      );
      const sum = s.buckets.reduce((a, b) => a + b.cpuMs, 0);
      assert.ok(
        Math.abs(sum - s.cpuMs) <= 0.01 * s.buckets.length + 0.01,
        `buckets add up to ${sum}, total ${s.cpuMs}`,
      );
      const buckets = s.buckets.map((b) => b.bucket);
      for (const expected of [SDK_VM_ENTRY, CORE_BRIDGE, WORKFLOW_RUNTIME, STORE])
        assert.ok(buckets.includes(expected), `no ${expected} in ${buckets.join(', ')}`);
      assert.ok(r.proc.msPerMessage > 0 && (r.proc.threadsMsPerMessage[MAIN_THREAD] ?? 0) > 0);
      assert.equal(s.topFunctions.length, 15);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
