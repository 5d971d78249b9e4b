import { table } from '../report/format.js';
import type { WorkerProfileResult } from './run-profile.js';
import { workerCpuFindings } from './findings.js';

const round1 = (x: number) => Math.round(x * 10) / 10;

/** docs/bench/worker-profile.md: where the worker's CPU goes, by bucket and by function. */
export function workerProfileMarkdown(r: WorkerProfileResult): string {
  const s = r.summary;
  const threads = s.threads.map((t) => t.thread);
  return `# Where the worker's CPU goes

Written by \`npm run bench:profile\` (packages/dev-tools/bench/worker-profile/) on ${r.date}. The whole local system ran on
loopback with the worker under \`node --cpu-prof\`; after ${r.spec.warmupMessages} warm-up messages it took
${r.sent} generic text messages at ${r.spec.ratePerSecond}/s, and the samples taken from the first request until the HubSpot
sandbox showed all ${r.published} published (${round1(s.windowMs / 1000)} s) are summarised here. 1-minute load average
${r.loadAverage.before} before, ${r.loadAverage.after} after (2 cores: above ~2, other work shared them).

## Findings

${workerCpuFindings(r)}

## CPU per published message, by thread (from /proc)

The whole worker process used ${r.proc.msPerMessage} CPU ms per message in the window (${r.proc.idleCorrectedMsPerMessage} ms less what it uses
when idle, the figure docs/BENCHMARKS.md's "worker" column measures, there without the profiler).

${table(
  ['thread', 'CPU ms per message'],
  Object.entries(r.proc.threadsMsPerMessage)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => [k, v]),
)}

V8's profiler sees the JS threads: main, the workflow thread, and tsx's module loader thread (idle by then). It samples wall time: a thread that waits for a core (load average above the
core count) or blocks in a call keeps being charged to the function it is in. Here it counted ${s.busyMsPerMessage} ms of
non-idle time per message on them against ${s.cpuMsPerMessage} CPU ms (${s.threads.map((t) => `${t.thread}: ${t.busyMs} ms sampled, ${t.cpuMs} ms CPU`).join('; ')}),
so each thread's samples are scaled to its CPU below.

## CPU by bucket (the profiled JS threads)

A sample counts for the function on top of the stack. Frames without a file of their own (V8 builtins such as
\`JSON.parse\`, WebAssembly) and Node's own modules count for the code that called them, so pino's writes count as
logging. Workflow code runs in the workflow thread's V8 context; it is mapped back to its sources with the bundle's
source map. % is of the profiled threads' CPU.

${table(
  ['bucket', 'CPU ms per message', '%', 'sampled ms', ...threads.map((t) => `${t} CPU ms`)],
  s.buckets.map((b) => [b.bucket, b.cpuMsPerMessage, b.percent, b.busyMs, ...threads.map((t) => b.byThread[t])]),
)}

## Top ${s.topFunctions.length} functions by self time

${table(
  ['function', 'file', 'bucket', 'thread', 'CPU ms', '%', 'sampled ms'],
  s.topFunctions.map((f) => [`\`${f.functionName}\``, f.file, f.bucket, f.thread, f.cpuMs, f.percent, f.busyMs]),
)}
`;
}

/** The console's version: per-message figures, buckets, then functions. */
export function workerProfileTable(r: WorkerProfileResult): string {
  const s = r.summary;
  return [
    `worker CPU per published message: ${r.proc.msPerMessage} ms (/proc, whole process; ${r.proc.idleCorrectedMsPerMessage} ms idle-corrected); JS threads ${s.cpuMsPerMessage} ms CPU, ${s.busyMsPerMessage} ms sampled`,
    `${r.published}/${r.sent} published; load average ${r.loadAverage.before} → ${r.loadAverage.after}`,
    ...Object.entries(r.proc.threadsMsPerMessage)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${String(v).padStart(7)} ms/msg  ${k}`),
    '',
    ...s.buckets.map(
      (b) => `${String(b.cpuMsPerMessage).padStart(7)} ms/msg ${String(b.percent).padStart(6)} %  ${b.bucket}`,
    ),
    '',
    ...s.topFunctions.map(
      (f) =>
        `${String(f.cpuMs).padStart(9)} ms ${String(f.percent).padStart(6)} %  ${f.functionName}  ${f.file}  [${f.thread}]`,
    ),
  ].join('\n');
}
