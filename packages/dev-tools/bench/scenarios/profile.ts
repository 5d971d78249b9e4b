import fs from 'node:fs';
import path from 'node:path';
import type { LocalSystem } from '../../src/local/system.js';
import type { Baselines } from '../baselines/start.js';
import { loadRun, type Target } from '../load-run.js';
import { traffic } from '../load/traffic.js';
import { cpuDuring, findPid, fsyncsDuring } from '../observe/cpu.js';
import { profileHistories } from '../observe/history.js';
import { hubspotCallCost } from '../observe/hubspot-client.js';
import { sequentialAck, storeCalls, temporalCalls } from '../observe/profile.js';
import type { ProfileResults } from '../results.js';
import { round } from '../stats.js';

/** The profile's targets: the three of the scenarios, and the engine baseline with the bridge's search attributes. */
export const PROFILED = ['bridge', 'bare', 'bareSearchAttributes', 'naive'] as const;
export type ProfiledTarget = (typeof PROFILED)[number];

export interface ProfileSpec {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly drainTimeoutMs: number;
  readonly historySample: number;
}

/**
 * Where the time goes, measured so that other work on the machine matters little: CPU time per message of every
 * process on each target's path (from /proc, at a rate all of them keep up with), the Temporal history each message
 * writes, fsyncs per message (strace, where present), the fixed cost of one request on an idle system, the two
 * Temporal calls, and the SQLite calls on the path.
 */
export async function profileScenario(
  system: LocalSystem,
  systemDataDir: string,
  baselines: Baselines,
  targets: Readonly<Record<Target['name'], Target>>,
  spec: ProfileSpec,
): Promise<ProfileResults> {
  const temporal = findPid(path.join(systemDataDir, 'temporal.sqlite'));
  const sandbox = findPid('packages/sandbox/src/main.ts', `SANDBOX_HUBSPOT_PORT=${new URL(system.urls.hubspot).port}`);
  const processes: Record<ProfiledTarget, Record<string, number | undefined>> = {
    bridge: { api: system.pid('api'), worker: system.pid('worker'), temporal, sandboxes: sandbox },
    bare: { api: baselines.pid('bare-api'), worker: baselines.pid('bare-worker'), temporal },
    bareSearchAttributes: { api: baselines.pid('bare-api'), worker: baselines.pid('bare-worker'), temporal },
    naive: { api: baselines.pid('naive'), sandboxes: sandbox },
  };
  const profiled: Record<ProfiledTarget, Target> = {
    ...targets,
    bareSearchAttributes: { ...targets.bare, path: '/webhook?searchAttributes=1' },
  };
  const accounts = { generic: system.account('generic') };
  const cpuPerMessage = {} as ProfileResults['cpuPerMessage'];
  const sampleKeys = {} as Record<ProfiledTarget, string[]>;
  const logSize = (part: string) =>
    fs.statSync(path.join(systemDataDir, 'logs', `${part}.log`), { throwIfNoEntry: false })?.size ?? 0;
  let logBytesPerMessage: ProfileResults['logBytesPerMessage'] = { api: 0, worker: 0 };
  for (const name of PROFILED) {
    const logsBefore = { api: logSize('api'), worker: logSize('worker') };
    let done = 0;
    const cpu = await cpuDuring(processes[name], async () => {
      const make = traffic(`profile-${name}`, { accounts, threads: 20, kind: 'text' });
      const run = await loadRun(profiled[name], {
        label: 'profile',
        ratePerSecond: spec.ratePerSecond,
        durationMs: spec.durationMs,
        make,
        drainTimeoutMs: spec.drainTimeoutMs,
      });
      done = run.done;
      sampleKeys[name] = run.sampleKeys;
    });
    cpuPerMessage[name] = {
      messages: done,
      ms: Object.fromEntries(Object.entries(cpu).map(([p, ms]) => [p, round(ms / Math.max(1, done), 2)])),
    };
    if (name === 'bridge')
      logBytesPerMessage = {
        api: Math.round((logSize('api') - logsBefore.api) / Math.max(1, done)),
        worker: Math.round((logSize('worker') - logsBefore.worker) / Math.max(1, done)),
      };
  }

  // strace slows every syscall of a process it attaches to, so fsyncs are counted in a run of their own.
  let fsyncs: ProfileResults['fsyncsPerMessage'];
  {
    const make = traffic('profile-fsync', { accounts, threads: 20, kind: 'text' });
    let done = 0;
    const counts: Record<string, number | undefined> = {};
    counts.worker = await fsyncsDuring(system.pid('worker'), async () => {
      counts.api = await fsyncsDuring(system.pid('api'), async () => {
        done = (
          await loadRun(targets.bridge, {
            label: 'fsync',
            ratePerSecond: 10,
            durationMs: 2_000,
            make,
            drainTimeoutMs: spec.drainTimeoutMs,
          })
        ).done;
      });
    });
    if (counts.api !== undefined && counts.worker !== undefined)
      fsyncs = { api: round(counts.api / Math.max(1, done), 2), worker: round(counts.worker / Math.max(1, done), 2) };
  }

  const n = Math.max(10, spec.historySample);
  const make = (name: string) => traffic(`profile-seq-${name}`, { accounts, threads: n, kind: 'text' });
  const withPath = (name: string, p: string) => {
    const m = make(name);
    return (i: number) => ({ ...m(i), path: p });
  };
  return {
    cpuPerMessage,
    logBytesPerMessage,
    ...(fsyncs ? { fsyncsPerMessage: fsyncs } : {}),
    inboundHistory: await profileHistories(system.temporalAddress, sampleKeys.bridge.slice(0, spec.historySample)),
    bareHistory: await profileHistories(system.temporalAddress, sampleKeys.bare.slice(0, spec.historySample)),
    sequentialAck: {
      bridge: await sequentialAck(system.urls.api, n, make('bridge')),
      bare: await sequentialAck(baselines.bareApiUrl, n, withPath('bare', '/webhook')),
      naive: await sequentialAck(baselines.naiveUrl, n, withPath('naive', '/webhook')),
    },
    temporalCalls: await temporalCalls(system.temporalAddress, 'bench-bare', n),
    store: await storeCalls(path.join(systemDataDir, 'profile'), n * 10),
    hubspotCall: await hubspotCallCost(system.urls.hubspot, system.info.portals[0]!.accessToken, n * 5),
  };
}
