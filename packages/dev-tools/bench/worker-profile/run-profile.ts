import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startLocalSystem } from '../../src/local/system.js';
import { loadRun, type Target } from '../load-run.js';
import { traffic } from '../load/traffic.js';
import { cpuDuring } from '../observe/cpu.js';
import { ledgerCompletions } from '../observe/completions.js';
import { HubSpotLedger } from '../observe/hubspot-ledger.js';
import { loadNow } from '../report/machine.js';
import { round } from '../stats.js';
import { bundleSources } from './bundle-sources.js';
import { summariseProfiles, type CpuProfile, type ProfileSummary, type ThreadProfile } from './summarise.js';
import { vmCallCost } from './vm-call-cost.js';
import { MAIN_THREAD, threadCpu, threadCpuBetween, WORKFLOW_THREAD } from './threads.js';

export interface WorkerProfileSpec {
  /** A fresh folder for the system's data, logs and the .cpuprofile files. */
  readonly dataDir: string;
  readonly messages: number;
  readonly ratePerSecond: number;
  /** Messages sent (and published) before the measured window, so start-up and first-call costs stay out of it. */
  readonly warmupMessages: number;
  readonly drainTimeoutMs: number;
  /** A prebuilt workflow bundle; one is written into dataDir when unset. */
  readonly workflowBundlePath?: string;
  readonly log?: (line: string) => void;
}

export interface WorkerProfileResult {
  readonly date: string;
  readonly loadAverage: { readonly before: number; readonly after: number };
  readonly spec: { readonly messages: number; readonly ratePerSecond: number; readonly warmupMessages: number };
  readonly sent: number;
  readonly published: number;
  /** The worker's CPU from /proc over the same window: whole process, and per kind of thread (V8 sees two of them). */
  readonly proc: {
    readonly msPerMessage: number;
    readonly idleCorrectedMsPerMessage: number;
    readonly threadsMsPerMessage: Record<string, number>;
  };
  /** CPU µs of one call into a V8 context from this process, with the SDK's timeout and without (vm-call-cost.ts). */
  readonly vmCallMicroseconds: { readonly withTimeout: number; readonly withoutTimeout: number };
  /** The window, µs on CLOCK_MONOTONIC, to summarise the kept .cpuprofile files again. */
  readonly window: { readonly fromUs: number; readonly toUs: number };
  readonly profileFiles: string[];
  readonly summary: ProfileSummary;
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Runs the whole system with the worker under `node --cpu-prof`, sends generic text messages at a fixed rate on
 * loopback, waits until the HubSpot sandbox shows them all published, stops the worker with SIGTERM (so V8 writes
 * its profiles) and summarises the samples taken while the messages were in flight.
 */
export async function profileWorker(spec: WorkerProfileSpec): Promise<WorkerProfileResult> {
  const log = spec.log ?? (() => undefined);
  const profileDir = path.join(spec.dataDir, 'cpuprofile');
  fs.mkdirSync(profileDir, { recursive: true });
  const loadBefore = loadNow();
  const vmCallMicroseconds = vmCallCost();
  const system = await startLocalSystem({
    dataDir: spec.dataDir,
    ...(spec.workflowBundlePath ? { workflowBundlePath: spec.workflowBundlePath } : {}),
    // As the bench's profile runs: HubSpot's rate limit lifted, so pacing never holds a message back.
    sandboxEnv: { SANDBOX_HUBSPOT_RATE_LIMIT_MAX: '1000000000' },
    bridgeEnv: { HUBSPOT_RATE_LIMIT_PER_10S: '1000000000' },
    nodeArgs: { worker: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] },
  });
  let stopped = false;
  try {
    const workerPid = system.pid('worker')!;
    const ledger = new HubSpotLedger(system.urls.hubspot);
    await ledger.skipToEnd();
    const target: Target = {
      name: 'bridge',
      origin: system.urls.api,
      completions: ledgerCompletions(ledger),
      processes: () => ({ worker: system.pid('worker') }),
    };
    const accounts = { generic: system.account('generic') };
    const run = (label: string, messages: number) =>
      loadRun(target, {
        label,
        ratePerSecond: spec.ratePerSecond,
        durationMs: (messages / spec.ratePerSecond) * 1000,
        make: traffic(label, { accounts, threads: 20, kind: 'text' }),
        drainTimeoutMs: spec.drainTimeoutMs,
      });

    log(`system up; warming up with ${spec.warmupMessages} messages`);
    await run('worker-profile-warmup', spec.warmupMessages);
    log(`profiling ${spec.messages} messages at ${spec.ratePerSecond}/s`);
    let window = { fromUs: 0, toUs: 0 };
    let threads: Record<string, number> = {};
    let measured = { sent: 0, done: 0 };
    const cpu = await cpuDuring({ worker: workerPid }, async () => {
      const before = threadCpu(workerPid);
      const fromUs = nowUs();
      const result = await run('worker-profile', spec.messages);
      window = { fromUs, toUs: nowUs() };
      threads = threadCpuBetween(workerPid, before, threadCpu(workerPid));
      measured = { sent: result.sent, done: result.done };
    });
    log(`${measured.done}/${measured.sent} published; stopping the worker with SIGTERM`);
    const procMs = Object.values(threads).reduce((a, b) => a + b, 0);
    await system.kill('worker', 'SIGTERM');
    await system.stop();
    stopped = true;

    const files = fs
      .readdirSync(profileDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort();
    if (files.length === 0) throw new Error(`the worker wrote no .cpuprofile into ${profileDir}`);
    const bundleFile = path.resolve(system.bridgeEnv.WORKFLOW_BUNDLE_PATH!);
    const originalSource = bundleSources(bundleFile);
    const profiles: ThreadProfile[] = files.map((file) => {
      const profile = JSON.parse(fs.readFileSync(path.join(profileDir, file), 'utf8')) as CpuProfile;
      // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is the main thread.
      const tid = file.split('.')[4];
      const has = (test: (url: string) => boolean) =>
        profile.nodes.some((n) => test(n.callFrame.url.replace(/^file:\/\//, '')));
      const thread =
        tid === '0'
          ? 'main'
          : has((url) => url === bundleFile)
            ? 'workflow thread'
            : has((url) => url === 'node:internal/modules/esm/worker')
              ? 'module loader thread (tsx)'
              : `thread ${tid}`;
      return { thread, profile };
    });
    const messages = Math.max(1, measured.done);
    const summary = summariseProfiles(profiles, {
      messages: measured.done,
      window,
      nativeNames: coreBridgeNativeNames(),
      ...(originalSource ? { bundle: { file: bundleFile, originalSource } } : {}),
      root: path.resolve(import.meta.dirname, '../../..'),
      cpuMsByThread: { main: threads[MAIN_THREAD] ?? 0, 'workflow thread': threads[WORKFLOW_THREAD] ?? 0 },
    });
    return {
      date: new Date().toISOString(),
      loadAverage: { before: loadBefore, after: loadNow() },
      spec: { messages: spec.messages, ratePerSecond: spec.ratePerSecond, warmupMessages: spec.warmupMessages },
      sent: measured.sent,
      published: measured.done,
      proc: {
        msPerMessage: round(procMs / messages, 2),
        idleCorrectedMsPerMessage: round((cpu.worker ?? 0) / messages, 2),
        threadsMsPerMessage: Object.fromEntries(
          Object.entries(threads)
            .sort((a, b) => b[1] - a[1])
            .map(([k, v]) => [k, round(v / messages, 2)]),
        ),
      },
      vmCallMicroseconds,
      window,
      profileFiles: files,
      summary,
    };
  } finally {
    if (!stopped) await system.stop();
  }
}

/** The core bridge's native functions: in a profile they are frames without a file, like V8's builtins. */
function coreBridgeNativeNames(): Set<string> {
  const require = createRequire(import.meta.url);
  const { native } = require('@temporalio/core-bridge') as { native: Record<string, unknown> };
  return new Set(Object.keys(native).filter((k) => typeof native[k] === 'function'));
}
