import fs from 'node:fs';
import path from 'node:path';
import type { LocalSystem } from '../../src/local/system.js';
import type { Baselines } from '../baselines/start.js';
import { loadRun, type Target } from '../load-run.js';
import { traffic } from '../load/traffic.js';
import { findPid, fsyncsDuring } from '../observe/cpu.js';
import { profileHistories } from '../observe/history.js';
import { hubspotCallCost } from '../observe/hubspot-client.js';
import type { HubSpotLedger } from '../observe/hubspot-ledger.js';
import { sequentialAck, storeCalls, temporalCalls } from '../observe/profile.js';
import type { ProfileResults } from '../results.js';
import { round } from '../stats.js';
import { cpuRun } from './cpu-per-message.js';

/**
 * The profile's targets: those of the scenarios (the bridge, the engine baseline, its one-local-activity shape, the
 * naive forwarder), and the engine baseline with the bridge's search attributes.
 */
export const PROFILED = ['bridge', 'bare', 'bareLocal', 'bareSearchAttributes', 'naive'] as const;
export type ProfiledTarget = (typeof PROFILED)[number];

export interface ProfileSpec {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly drainTimeoutMs: number;
  readonly historySample: number;
  /** Called before each target's run: waits until the system is drained and idle (the caller records the check). */
  readonly beforeEach?: (label: string) => Promise<void>;
}

/** Conversations the profile's messages are spread over. */
const PROFILE_THREADS = 20;

/** Every process on each profiled target's path, for its CPU time. */
export function profiledProcesses(
  system: LocalSystem,
  systemDataDir: string,
  baselines: Baselines,
): Record<ProfiledTarget, Record<string, number | undefined>> {
  const temporal = findPid(path.join(systemDataDir, 'temporal.sqlite'));
  const sandbox = findPid('packages/sandbox/src/main.ts', `SANDBOX_HUBSPOT_PORT=${new URL(system.urls.hubspot).port}`);
  const bare = { api: baselines.pid('bare-api'), worker: baselines.pid('bare-worker'), temporal };
  return {
    bridge: { api: system.pid('api'), worker: system.pid('worker'), temporal, sandboxes: sandbox },
    bare,
    bareLocal: bare,
    bareSearchAttributes: bare,
    naive: { api: baselines.pid('naive'), sandboxes: sandbox },
  };
}

/** The profiled targets: the scenarios' own, and the engine baseline's search-attribute variant. */
export function profiledTargets(targets: Readonly<Record<Target['name'], Target>>): Record<ProfiledTarget, Target> {
  return { ...targets, bareSearchAttributes: { ...targets.bare, path: '/webhook?searchAttributes=1' } };
}

/** A profile run's traffic: text from the generic account over PROFILE_THREADS conversations. */
export const profileTraffic = (label: string, system: LocalSystem) =>
  traffic(label, { accounts: { generic: system.account('generic') }, threads: PROFILE_THREADS, kind: 'text' });

/** CPU ms per message of each named target (and the bridge's HubSpot calls per message, with a ledger). */
export async function cpuPerMessageOf(
  names: readonly ProfiledTarget[],
  system: LocalSystem,
  processes: Record<ProfiledTarget, Record<string, number | undefined>>,
  targets: Record<ProfiledTarget, Target>,
  spec: Pick<ProfileSpec, 'ratePerSecond' | 'durationMs' | 'drainTimeoutMs' | 'beforeEach'>,
  ledger?: HubSpotLedger,
) {
  const cpuPerMessage: Partial<ProfileResults['cpuPerMessage']> = {};
  const sampleKeys: Partial<Record<ProfiledTarget, string[]>> = {};
  let hubspotCallsPerMessage: ProfileResults['hubspotCallsPerMessage'];
  for (const name of names) {
    await spec.beforeEach?.(`profile: ${name}`);
    const run = await cpuRun(
      targets[name],
      processes[name],
      profileTraffic(`profile-${name}`, system),
      { ...spec, threads: PROFILE_THREADS },
      name === 'bridge' ? ledger : undefined,
    );
    cpuPerMessage[name] = run.cpu;
    sampleKeys[name] = run.sampleKeys;
    if (run.hubspotCalls) hubspotCallsPerMessage = run.hubspotCalls;
  }
  return { cpuPerMessage, sampleKeys, hubspotCallsPerMessage };
}

/**
 * Where the time goes, measured so that other work on the machine matters little: CPU time per message of every
 * process on each target's path (from /proc, at a rate all of them keep up with), the HubSpot calls per message, the
 * Temporal history each message writes, fsyncs per message (strace, where present), the fixed cost of one request on
 * an idle system, the two Temporal calls, and the SQLite calls on the path.
 */
export async function profileScenario(
  system: LocalSystem,
  systemDataDir: string,
  baselines: Baselines,
  targets: Readonly<Record<Target['name'], Target>>,
  spec: ProfileSpec,
  ledger?: HubSpotLedger,
): Promise<ProfileResults> {
  const processes = profiledProcesses(system, systemDataDir, baselines);
  const accounts = { generic: system.account('generic') };
  const logSize = (part: string) =>
    fs.statSync(path.join(systemDataDir, 'logs', `${part}.log`), { throwIfNoEntry: false })?.size ?? 0;
  await spec.beforeEach?.('profile: bridge');
  const logsBefore = { api: logSize('api'), worker: logSize('worker') };
  // The bridge runs first on an idle system, so the log growth until its run ends is its own.
  const { beforeEach: _waited, ...bridgeSpec } = spec;
  const bridgeRun = await cpuPerMessageOf(['bridge'], system, processes, profiledTargets(targets), bridgeSpec, ledger);
  const bridgeDone = Math.max(1, bridgeRun.cpuPerMessage.bridge?.messages ?? 0);
  const logBytesPerMessage: ProfileResults['logBytesPerMessage'] = {
    api: Math.round((logSize('api') - logsBefore.api) / bridgeDone),
    worker: Math.round((logSize('worker') - logsBefore.worker) / bridgeDone),
  };
  const rest = await cpuPerMessageOf(
    PROFILED.filter((name) => name !== 'bridge'),
    system,
    processes,
    profiledTargets(targets),
    spec,
  );
  const cpuPerMessage = { ...bridgeRun.cpuPerMessage, ...rest.cpuPerMessage } as ProfileResults['cpuPerMessage'];
  const sampleKeys = { ...bridgeRun.sampleKeys, ...rest.sampleKeys } as Record<ProfiledTarget, string[]>;

  // strace slows every syscall of a process it attaches to, so fsyncs are counted in a run of their own.
  await spec.beforeEach?.('profile: fsyncs');
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
    ...(bridgeRun.hubspotCallsPerMessage ? { hubspotCallsPerMessage: bridgeRun.hubspotCallsPerMessage } : {}),
    logBytesPerMessage,
    ...(fsyncs ? { fsyncsPerMessage: fsyncs } : {}),
    inboundHistory: await profileHistories(system.temporalAddress, sampleKeys.bridge.slice(0, spec.historySample)),
    bareHistory: await profileHistories(system.temporalAddress, sampleKeys.bare.slice(0, spec.historySample)),
    localHistory: await profileHistories(system.temporalAddress, sampleKeys.bareLocal.slice(0, spec.historySample)),
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
