import {
  ACTIVITIES,
  CORE_BRIDGE,
  GC,
  HUBSPOT,
  INTERCEPTORS,
  LOGGING,
  METRICS,
  PROGRAM,
  PROTOBUF,
  SDK_COMMON,
  STORE,
  SDK_STACKS,
  SDK_THREADS,
  SDK_VM_ENTRY,
  SDK_WORKER,
  WORKFLOW_OURS,
  WORKFLOW_RUNTIME,
} from './buckets.js';
import type { WorkerProfileResult } from './run-profile.js';
import { MAIN_THREAD, WORKFLOW_THREAD } from './threads.js';

const OURS_SMALL = [ACTIVITIES, INTERCEPTORS, METRICS];
/** What the SDK does per activation of a workflow, whatever the workflow does. */
const PER_ACTIVATION = [
  SDK_VM_ENTRY,
  SDK_WORKER,
  CORE_BRIDGE,
  SDK_THREADS,
  SDK_STACKS,
  PROTOBUF,
  SDK_COMMON,
  WORKFLOW_RUNTIME,
];

const r1 = (x: number) => Math.round(x * 10) / 10;

/** The figures the paragraphs quote, in CPU ms per message and % of the JS threads' CPU. */
export function workerCpuFigures(r: WorkerProfileResult) {
  const s = r.summary;
  const row = (name: string) => s.buckets.find((b) => b.bucket === name);
  const ms = (...names: string[]) => r1(names.reduce((sum, n) => sum + (row(n)?.cpuMsPerMessage ?? 0), 0));
  const pct = (...names: string[]) => Math.round(names.reduce((sum, n) => sum + (row(n)?.percent ?? 0), 0));
  const t = r.proc.threadsMsPerMessage;
  return {
    js: s.cpuMsPerMessage,
    process: r.proc.msPerMessage,
    idleCorrected: r.proc.idleCorrectedMsPerMessage,
    main: t[MAIN_THREAD] ?? 0,
    workflow: t[WORKFLOW_THREAD] ?? 0,
    rust: r1(
      Object.entries(t)
        .filter(([k]) => k.startsWith('Temporal core'))
        .reduce((sum, [, v]) => sum + v, 0),
    ),
    profiler: r1(
      Object.entries(t)
        .filter(([k]) => k.includes('profiler'))
        .reduce((sum, [, v]) => sum + v, 0),
    ),
    sdk: { ms: ms(...PER_ACTIVATION), pct: pct(...PER_ACTIVATION) },
    vmEntry: { ms: ms(SDK_VM_ENTRY), pct: pct(SDK_VM_ENTRY) },
    stacks: { ms: ms(SDK_STACKS), pct: pct(SDK_STACKS) },
    bridge: ms(CORE_BRIDGE),
    threads: ms(SDK_THREADS),
    worker: ms(SDK_WORKER),
    ours: { ms: ms(STORE, HUBSPOT, LOGGING, ...OURS_SMALL), pct: pct(STORE, HUBSPOT, LOGGING, ...OURS_SMALL) },
    store: ms(STORE),
    hubspot: ms(HUBSPOT),
    logging: ms(LOGGING),
    small: ms(...OURS_SMALL),
    workflowOurs: row(WORKFLOW_OURS)?.cpuMsPerMessage ?? 0,
    gcProgram: ms(GC, PROGRAM),
    vmCall: r.vmCallMicroseconds,
  };
}

/** What the profile found and what would cut the worker's share, as a Markdown list (worker-profile.md). */
export function workerCpuFindings(r: WorkerProfileResult): string {
  const f = workerCpuFigures(r);
  return `- **The worker's JS threads used ${f.js} CPU ms per message** (main ${f.main}, workflow thread ${f.workflow}) of the
  process's ${f.process}; the rest is the Temporal core's Rust threads (${f.rust}), the profiler itself (${f.profiler}), and V8's
  and libuv's helper threads.
- **The Temporal SDK's work per workflow activation is most of it: ${f.sdk.ms} ms (${f.sdk.pct} %).** The largest part is
  entering the workflow sandbox, ${f.vmEntry.ms} ms (${f.vmEntry.pct} %): the self time of \`vm\`'s \`runInContext\`, called a few
  times per activation (activate, tryUnblockConditions, concludeActivation…). The SDK always passes its
  \`isolateExecutionTimeout\`, so Node starts and joins a watchdog thread for every call: ${f.vmCall.withTimeout} µs of CPU per call
  here, against ${f.vmCall.withoutTimeout} µs without a timeout. Then the SDK's activation pipeline ${f.worker} ms, calls into the core bridge
  ${f.bridge} ms, messages between the main and workflow threads ${f.threads} ms, and ${f.stacks.ms} ms (${f.stacks.pct} %) for the stack
  trace the SDK records for every Promise created in workflow code (a promise hook formats each through the bundle's
  source map, for the stack-trace query; 1.24 has no switch for it).
- **Our code is a small share: ${f.ours.ms} ms (${f.ours.pct} %)**: store ${f.store} (better-sqlite3, and decrypting the account and
  tokens on each read), HubSpot client ${f.hubspot}, logging ${f.logging}, activities, interceptors and metrics ${f.small}. The
  workflow functions themselves (bundled, src/) take ${f.workflowOurs} ms. GC and native code outside JS: ${f.gcProgram} ms.
- **What would cut the worker's share:** the message already takes the fewest activations a workflow can (its start,
  its one local activity's result, and the eviction: every step runs inside that one activity). (1) In the SDK: one
  long-lived watchdog, or none, instead of one per call would save most of the ${f.vmEntry.ms} ms of sandbox entry; no
  WorkerOptions setting turns it off in 1.24. (2) Fewer Promises in the workflow code's common path: each costs a
  source-mapped stack trace (${f.stacks.ms} ms in all). (3) On our side at most ${f.ours.ms} ms is there to win: a
  short-lived cache of the decrypted account for \`getAccount\` (store ${f.store} ms), logging (${f.logging} ms).`;
}

/** Item 4 of docs/BENCHMARKS.md's "Why targets are missed", from the profile (`link`: worker-profile.md's path). */
export function workerCpuVerdict(r: WorkerProfileResult, link: string): string {
  const f = workerCpuFigures(r);
  return `A CPU profile of the worker ([\`npm run bench:profile\`](${link}): ${r.published} messages, ${r.date.slice(0, 10)}, load
     average ${r.loadAverage.before}–${r.loadAverage.after}, ${f.idleCorrected} CPU ms per message there, idle-corrected) splits it. Of the ${f.js} ms on
     the worker's JS threads, **${f.sdk.ms} ms (${f.sdk.pct} %) is the Temporal SDK's work per workflow activation**, led by entering the workflow
     sandbox (${f.vmEntry.ms} ms: a \`vm\` call with a timeout, so a watchdog thread, ${f.vmCall.withTimeout} µs per call against ${f.vmCall.withoutTimeout} µs without)
     and a stack trace per workflow Promise (${f.stacks.ms} ms); our own code (store, HubSpot client, logging,
     activities, metrics) is ${f.ours.ms} ms (${f.ours.pct} %); the Temporal core's Rust threads add ${f.rust} ms. The message already takes the
     fewest activations a workflow can (start, one local activity's result, eviction); what would cut it further is a
     watchdog-free sandbox call in the SDK (most of ${f.vmEntry.ms} ms), fewer Promises in the workflow's common path
     (${f.stacks.ms} ms of stack traces), and on our side at most ${f.ours.ms} ms (logging ${f.logging}, store ${f.store}).`;
}
