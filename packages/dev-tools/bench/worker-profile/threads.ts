import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { cpuMs } from '../observe/cpu.js';

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export interface ThreadSnapshot {
  /** The whole process, ended threads included. */
  readonly processMs: number;
  readonly threads: Map<number, { readonly name: string; readonly ms: number }>;
}

/** CPU ms (user + system) a process and each of its live threads have used so far. */
export function threadCpu(pid: number): ThreadSnapshot {
  const threads = new Map<number, { name: string; ms: number }>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(')').at(-1)!.trim().split(' ');
      const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      threads.set(Number(tid), { name, ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND });
    } catch {
      // the thread ended meanwhile
    }
  }
  return { processMs: cpuMs(pid), threads };
}

export const MAIN_THREAD = 'main JS thread';
export const WORKFLOW_THREAD = 'workflow thread (the busiest other "node" thread)';
export const ENDED = 'threads that ended within the run (e.g. vm timeout watchdogs)';

/**
 * CPU ms per kind of thread between two snapshots of one process. Linux names the worker's threads: `tokio-runtime-w`
 * and `workflow-proces` are the Temporal core's Rust threads, `v8:ProfEvntProc` is the profiler, and `node` is every
 * other Node thread: the one that runs the workflows (taken to be the busiest of them), V8's GC and compiler helpers,
 * libuv's pool, tsx's module loader. A thread that ended before the second snapshot shows only in the process's total.
 */
export function threadCpuBetween(pid: number, before: ThreadSnapshot, after: ThreadSnapshot): Record<string, number> {
  const deltas = [...after.threads].map(([tid, { name, ms }]) => ({
    tid,
    name,
    ms: ms - (before.threads.get(tid)?.ms ?? 0),
  }));
  const workflow = deltas.filter((d) => d.name === 'node' && d.tid !== pid).sort((a, b) => b.ms - a.ms)[0];
  const label = (d: (typeof deltas)[number]) => {
    if (d.tid === pid) return MAIN_THREAD;
    if (d === workflow) return WORKFLOW_THREAD;
    if (d.name === 'node') return 'other node threads (V8 GC/compiler helpers, libuv, module loader)';
    if (d.name === 'tokio-runtime-w') return 'Temporal core: Rust runtime (tokio threads)';
    if (d.name === 'workflow-proces') return 'Temporal core: workflow-processing thread (Rust)';
    if (d.name === 'v8:ProfEvntProc') return 'the CPU profiler itself (v8:ProfEvntProc)';
    return d.name;
  };
  const byKind: Record<string, number> = {};
  for (const d of deltas) byKind[label(d)] = (byKind[label(d)] ?? 0) + d.ms;
  const live = deltas.reduce((sum, d) => sum + d.ms, 0);
  byKind[ENDED] = Math.max(0, after.processMs - before.processMs - live);
  return byKind;
}
