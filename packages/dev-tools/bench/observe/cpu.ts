import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

// Linux reports process CPU time in clock ticks; USER_HZ is 100 on every mainstream kernel.
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU time (user + system) a process has used so far, in ms; 0 when it is gone. */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    // Fields after the command name (which may hold spaces) start at the last ')'.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').at(-1)!.trim().split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The first process whose command line contains `needle` and whose environment (if `envNeedle`) contains that. */
export function findPid(needle: string, envNeedle?: string): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes(needle)) continue;
      if (envNeedle && !fs.readFileSync(`/proc/${entry}/environ`, 'utf8').includes(envNeedle)) continue;
      return Number(entry);
    } catch {
      // the process ended meanwhile
    }
  }
  return undefined;
}

const snapshot = (pids: Record<string, number | undefined>) =>
  Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));

/**
 * CPU ms each process used for `work`: what it used while the work ran, less what it uses when idle (pollers,
 * timers), measured for `idleMs` just before.
 */
export async function cpuDuring(
  pids: Record<string, number | undefined>,
  work: () => Promise<unknown>,
  idleMs = 3_000,
): Promise<Record<string, number>> {
  const idleFrom = snapshot(pids);
  await new Promise((resolve) => setTimeout(resolve, idleMs));
  const before = snapshot(pids);
  const started = Date.now();
  await work();
  const after = snapshot(pids);
  const busyMs = Date.now() - started;
  return Object.fromEntries(
    Object.keys(pids).map((name) => {
      const idlePerMs = (before[name]! - idleFrom[name]!) / idleMs;
      return [name, Math.max(0, Math.round(after[name]! - before[name]! - idlePerMs * busyMs))];
    }),
  );
}

/**
 * Counts fsync/fdatasync calls of a process (and its threads) with strace while `work` runs: every SQLite commit
 * under `synchronous = FULL` is one. Undefined where strace is missing or may not attach.
 */
export async function fsyncsDuring(pid: number | undefined, work: () => Promise<unknown>): Promise<number | undefined> {
  if (!pid || spawnSync('strace', ['-V']).status !== 0) {
    await work();
    return undefined;
  }
  const tracer: ChildProcess = spawn('strace', ['-f', '-c', '-e', 'trace=fsync,fdatasync', '-p', String(pid)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let report = '';
  tracer.stderr!.on('data', (chunk: Buffer) => (report += chunk.toString()));
  await new Promise((resolve) => setTimeout(resolve, 500)); // let it attach
  try {
    await work();
  } finally {
    tracer.kill('SIGINT');
    await new Promise((resolve) => tracer.once('exit', resolve));
  }
  if (/Operation not permitted|attach: /.test(report) && !/calls/.test(report)) return undefined;
  // strace -c's table: "% time  seconds  usecs/call  calls  errors syscall"; a summary line per syscall.
  let calls = 0;
  for (const line of report.split('\n')) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(fsync|fdatasync)\s*$/.exec(line);
    if (m) calls += Number(m[1]);
  }
  return calls;
}
