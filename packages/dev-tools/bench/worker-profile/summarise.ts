import { bucketOf, IDLE, NODE } from './buckets.js';

/** V8's `.cpuprofile` (what `node --cpu-prof` writes): a call tree, and which node each sample hit. Times in µs. */
export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
    readonly columnNumber: number;
  };
  readonly children?: readonly number[];
}

/** One thread's profile: the worker's main thread, or the thread that runs the workflows' V8 context. */
export interface ThreadProfile {
  readonly thread: string;
  readonly profile: CpuProfile;
}

export interface SummaryOptions {
  /** Messages published within the window: the divisor of the per-message figures. */
  readonly messages: number;
  /**
   * Only samples taken in this span count (µs on the profile's clock, which is CLOCK_MONOTONIC like `process.hrtime`).
   */
  readonly window?: { readonly fromUs: number; readonly toUs: number };
  /** Names of the Temporal core bridge's native functions (frames without a file that are really calls into Rust). */
  readonly nativeNames?: ReadonlySet<string>;
  /** The bundled workflow code's file, and where a position in it came from (its inline source map). */
  readonly bundle?: {
    readonly file: string;
    readonly originalSource: (line: number, column: number) => { source: string; line: number } | undefined;
  };
  /** Paths are shown relative to this. */
  readonly root?: string;
  /** How many functions to list. @default 15 */
  readonly top?: number;
  /**
   * CPU ms each profiled thread used in the window (from /proc). V8's sampler counts every non-idle moment, also when
   * the thread waits for a core or in a blocking call, so on a busy machine a thread's profiled time exceeds its CPU;
   * given this, each thread's time is scaled to its CPU. Threads without a figure keep their profiled time.
   */
  readonly cpuMsByThread?: Readonly<Record<string, number>>;
}

export interface BucketRow {
  readonly bucket: string;
  /** Profiled (non-idle) time, all threads. */
  readonly busyMs: number;
  /** The same scaled to each thread's CPU (see `cpuMsByThread`). */
  readonly cpuMs: number;
  /** Share of the CPU (scaled) time of all profiled threads. */
  readonly percent: number;
  readonly cpuMsPerMessage: number;
  /** CPU (scaled) ms by thread. */
  readonly byThread: Record<string, number>;
}

export interface FunctionRow {
  readonly functionName: string;
  readonly file: string;
  readonly bucket: string;
  readonly thread: string;
  readonly busyMs: number;
  readonly cpuMs: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly messages: number;
  readonly windowMs: number;
  readonly threads: {
    readonly thread: string;
    readonly busyMs: number;
    readonly idleMs: number;
    readonly cpuMs: number;
  }[];
  /** Everything but (idle), all profiled threads, as V8 sampled it. */
  readonly busyMs: number;
  readonly busyMsPerMessage: number;
  /** The same scaled to the threads' CPU: the buckets add up to this. */
  readonly cpuMs: number;
  readonly cpuMsPerMessage: number;
  readonly buckets: BucketRow[];
  readonly topFunctions: FunctionRow[];
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const strip = (url: string) => url.replace(/^file:\/\//, '');

/**
 * Self time by bucket (see buckets.ts) and by function over one or more threads' profiles. A sample's time is the gap
 * to the next sample, as Chrome's DevTools count it; only the part of it inside the window counts.
 */
export function summariseProfiles(threads: readonly ThreadProfile[], options: SummaryOptions): ProfileSummary {
  const bucketUs = new Map<string, Map<string, number>>(); // bucket → thread → µs
  const fnUs = new Map<string, { row: Pick<FunctionRow, 'functionName' | 'file' | 'bucket' | 'thread'>; us: number }>();
  const perThread: { thread: string; busyUs: number; idleUs: number }[] = [];
  const fromUs = options.window?.fromUs ?? -Infinity;
  const toUs = options.window?.toUs ?? Infinity;
  const root = options.root ? `${options.root.replace(/\/$/, '')}/` : undefined;
  const shortPath = (p: string) => (root && p.startsWith(root) ? p.slice(root.length) : p);

  for (const { thread, profile } of threads) {
    const classify = classifier(profile, options);
    let busyUs = 0;
    let idleUs = 0;
    let at = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      at += profile.timeDeltas[i] ?? 0;
      const next = i + 1 < profile.samples.length ? at + (profile.timeDeltas[i + 1] ?? 0) : at;
      // The part of this sample's span [at, next) inside the window.
      const us = Math.max(0, Math.min(next, toUs) - Math.max(at, fromUs));
      if (us === 0) continue;
      const { bucket, frame } = classify(profile.samples[i]!);
      if (bucket === IDLE) {
        idleUs += us;
        continue;
      }
      busyUs += us;
      const byThread = bucketUs.get(bucket) ?? new Map<string, number>();
      byThread.set(thread, (byThread.get(thread) ?? 0) + us);
      bucketUs.set(bucket, byThread);
      if (frame.functionName.startsWith('(')) continue; // (program), (garbage collector): buckets, not functions
      const file = frame.file ? `${shortPath(frame.file)}:${frame.line + 1}` : '(V8 builtin or native)';
      const key = `${thread}\0${frame.functionName}\0${file}`;
      const entry = fnUs.get(key) ?? {
        row: { functionName: frame.functionName || '(anonymous)', file, bucket, thread },
        us: 0,
      };
      entry.us += us;
      fnUs.set(key, entry);
    }
    perThread.push({ thread, busyUs, idleUs });
  }

  // Each thread's profiled µs → CPU ms.
  const scale = new Map(
    perThread.map(({ thread, busyUs }) => {
      const cpu = options.cpuMsByThread?.[thread];
      return [thread, cpu === undefined || busyUs === 0 ? 1 / 1000 : cpu / busyUs] as const;
    }),
  );
  const cpuOf = (thread: string, us: number) => us * scale.get(thread)!;
  const busyUs = perThread.reduce((sum, t) => sum + t.busyUs, 0);
  const cpuMs = perThread.reduce((sum, t) => sum + cpuOf(t.thread, t.busyUs), 0);
  const messages = Math.max(1, options.messages);
  const percent = (ms: number) => r2((100 * ms) / Math.max(1e-9, cpuMs));
  const buckets = [...bucketUs.entries()]
    .map(([bucket, byThread]): BucketRow => {
      const us = [...byThread.values()].reduce((a, b) => a + b, 0);
      const cpu = [...byThread].reduce((sum, [t, v]) => sum + cpuOf(t, v), 0);
      return {
        bucket,
        busyMs: r2(us / 1000),
        cpuMs: r2(cpu),
        percent: percent(cpu),
        cpuMsPerMessage: r2(cpu / messages),
        byThread: Object.fromEntries([...byThread].map(([t, v]) => [t, r2(cpuOf(t, v))])),
      };
    })
    .sort((a, b) => b.cpuMs - a.cpuMs);
  const topFunctions = [...fnUs.values()]
    .map(({ row, us }) => ({ ...row, busyMs: r2(us / 1000), cpu: cpuOf(row.thread, us) }))
    .sort((a, b) => b.cpu - a.cpu)
    .slice(0, options.top ?? 15)
    .map(({ cpu, ...row }) => ({ ...row, cpuMs: r2(cpu), percent: percent(cpu) }));
  const spans = threads.map(({ profile }) => Math.min(profile.endTime, toUs) - Math.max(profile.startTime, fromUs));
  return {
    messages: options.messages,
    windowMs: r2(Math.max(0, ...spans) / 1000),
    threads: perThread.map((t) => ({
      thread: t.thread,
      busyMs: r2(t.busyUs / 1000),
      idleMs: r2(t.idleUs / 1000),
      cpuMs: r2(cpuOf(t.thread, t.busyUs)),
    })),
    busyMs: r2(busyUs / 1000),
    busyMsPerMessage: r2(busyUs / 1000 / messages),
    cpuMs: r2(cpuMs),
    cpuMsPerMessage: r2(cpuMs / messages),
    buckets,
    topFunctions,
  };
}

interface Frame {
  readonly functionName: string;
  /** The file (bundled code: its original source), empty for builtins and native functions. */
  readonly file: string;
  readonly line: number;
}

/** Memoised node id → (bucket, frame) for one profile; a node without a bucket of its own takes its caller's. */
function classifier(profile: CpuProfile, options: SummaryOptions): (id: number) => { bucket: string; frame: Frame } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, { bucket: string; frame: Frame }>();
  const bundleFile = options.bundle ? strip(options.bundle.file) : undefined;

  const frameOf = (n: CpuProfileNode): Frame => {
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    const file = strip(url);
    if (bundleFile && file === bundleFile) {
      const original = options.bundle!.originalSource(lineNumber, columnNumber);
      return { functionName, file: original ? strip(original.source) : file, line: original?.line ?? lineNumber };
    }
    return { functionName, file, line: lineNumber };
  };

  const resolve = (id: number): { bucket: string; frame: Frame } => {
    const known = memo.get(id);
    if (known) return known;
    const n = byId.get(id);
    if (!n) return { bucket: NODE, frame: { functionName: '(unknown)', file: '', line: 0 } };
    const frame = frameOf(n);
    const file = strip(n.callFrame.url);
    const inBundle = bundleFile !== undefined && file === bundleFile;
    const p = parent.get(id);
    const bucket = bucketOf({
      functionName: n.callFrame.functionName,
      file,
      inBundle,
      ...(inBundle && frame.file !== file ? { originalSource: frame.file } : {}),
      ...(p === undefined ? {} : { callerBucket: resolve(p).bucket }),
      ...(options.nativeNames ? { nativeNames: options.nativeNames } : {}),
    });
    const result = { bucket, frame };
    memo.set(id, result);
    return result;
  };
  return resolve;
}
