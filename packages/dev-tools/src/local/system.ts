import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflows } from '../../../bridge/src/temporal/bundle.js';
import { httpOk, spawnEntrypoint, tail, waitUntil, workerProbe, type ManagedChild } from './children.js';
import type { DemoAccount, SandboxInfo } from './demo-seed.js';
import { startSandboxMode } from './sandbox-mode.js';
import {
  freePort,
  provisionTemporalCli,
  startTemporalDevServer,
  stopChild,
  type DevServer,
} from './temporal-dev-server.js';

/**
 * The whole system as separate processes on free loopback ports, for benchmarks and fault scenarios: a Temporal dev
 * server on its own SQLite file, the sandboxes, api and worker processes. Unlike `npm start`, any part can be killed
 * (`kill -9` included) and started again on the same ports and data.
 */
export interface LocalSystemOptions {
  /**
   * The folder for the data, logs and Temporal's database. A fresh one seeds a new sandbox world; one a system ran in
   * before resumes that world (packages/dev-tools/src/local/sandbox-mode.ts).
   */
  readonly dataDir: string;
  /**
   * Settings for the sandbox process (see packages/sandbox/src/hubspot/options.ts, e.g.
   * SANDBOX_HUBSPOT_RATE_LIMIT_MAX).
   */
  readonly sandboxEnv?: NodeJS.ProcessEnv;
  /** Extra settings for the api and worker processes (e.g. BRIDGE_DATABASE_URL, LOG_LEVEL). */
  readonly bridgeEnv?: NodeJS.ProcessEnv;
  /** A prebuilt workflow bundle; bundled once into dataDir when unset. */
  readonly workflowBundlePath?: string;
  /** How many worker processes (all on one task queue). @default 1 */
  readonly workers?: number;
  /** Node flags for one part, e.g. `--cpu-prof` for the worker (Node 20 refuses it in NODE_OPTIONS). */
  readonly nodeArgs?: Partial<Record<Part, readonly string[]>>;
  /**
   * The output of `npm run build` (packages/bridge/scripts/build.ts): the api and worker then run as deployed, its
   * `server.js` and `worker.js` with plain node, and its own workflow bundle. From the TypeScript sources (tsx) when
   * unset.
   */
  readonly bridgeBuild?: string;
}

export type Part = 'api' | 'worker' | `worker-${number}`;

export interface LocalSystem {
  readonly urls: {
    readonly api: string;
    readonly hubspot: string;
    readonly telegram: string;
    readonly whatsapp: string;
    readonly generic: string;
    readonly twilio: string;
  };
  readonly temporalAddress: string;
  readonly info: SandboxInfo;
  readonly channelId: string;
  readonly accounts: readonly DemoAccount[];
  /** The env the api and worker run with (endpoints, keys): for in-process clients of the same store. */
  readonly bridgeEnv: NodeJS.ProcessEnv;
  /** The demo account of a provider kind; throws for a kind the demo has none of. */
  account(provider: string): DemoAccount;
  /** The running process of a part; `worker` is the first worker. */
  pid(part: Part): number | undefined;
  /** Resident memory of a part in bytes, from /proc. */
  rssBytes(part: Part): number;
  /** Sends `signal` (default SIGKILL) and waits for the process to be gone. */
  kill(part: Part, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a killed part again on the same port and data, and waits until it serves. */
  start(part: Part): Promise<void>;
  /**
   * Stops the Temporal dev server (SIGKILL by default), leaves it down `downMs` (default 0), and starts it again on the
   * same database and port.
   */
  restartTemporal(signal?: NodeJS.Signals, downMs?: number): Promise<void>;
  /** Stops everything. */
  stop(): Promise<void>;
}

export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const dataDir = path.resolve(options.dataDir);
  const logDir = path.join(dataDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const [apiPort, temporalPort, hubspot, telegram, whatsapp, generic, twilio] = await Promise.all(
    Array.from({ length: 7 }, () => freePort()),
  );
  const apiUrl = `http://127.0.0.1:${apiPort!}`;
  const cliPath = await provisionTemporalCli();
  const devServerOptions = {
    cliPath,
    port: temporalPort!,
    dbFile: path.join(dataDir, 'temporal.sqlite'),
    logFile: path.join(logDir, 'temporal.log'),
  };
  let temporal: DevServer = await startTemporalDevServer(devServerOptions);
  const sandboxChildren: ManagedChild[] = [];
  const parts = new Map<Part, ManagedChild>();

  const stop = async () => {
    await Promise.all([...parts.values(), ...sandboxChildren].map((c) => stopChild(c.process, 5_000)));
    await temporal.stop();
  };
  try {
    const bundlePath = options.bridgeBuild
      ? path.join(options.bridgeBuild, 'workflow-bundle.js')
      : (options.workflowBundlePath ?? path.join(dataDir, 'workflow-bundle.js'));
    if (!options.bridgeBuild && !options.workflowBundlePath)
      fs.writeFileSync(bundlePath, (await bundleWorkflows()).code);
    const sandbox = await startSandboxMode(
      dataDir,
      { hubspot: hubspot!, telegram: telegram!, whatsapp: whatsapp!, generic: generic!, twilio: twilio! },
      apiUrl,
      sandboxChildren,
      options.sandboxEnv,
    );
    const bridgeEnv: NodeJS.ProcessEnv = {
      TEMPORAL_ADDRESS: temporal.address,
      BRIDGE_API_PORT: String(apiPort),
      BRIDGE_DATA_DIR: dataDir,
      BRIDGE_PUBLIC_URL: apiUrl,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      ...sandbox.bridgeEnv,
      ...options.bridgeEnv,
    };
    const workerNames = Array.from({ length: options.workers ?? 1 }, (_, i): Part =>
      i === 0 ? 'worker' : `worker-${i}`,
    );

    const probes = new Map(await Promise.all(workerNames.map(async (name) => [name, await workerProbe({})] as const)));
    const start = async (part: Part) => {
      const entry = options.bridgeBuild
        ? path.join(options.bridgeBuild, part === 'api' ? 'server.js' : 'worker.js')
        : part === 'api'
          ? 'packages/bridge/src/server.ts'
          : 'packages/bridge/src/worker.ts';
      const probe = probes.get(part);
      const child = spawnEntrypoint(part, entry, { ...bridgeEnv, ...probe?.env }, logDir, options.nodeArgs?.[part]);
      parts.set(part, child);
      await waitUntil(child, probe ? 'polling' : 'ready', httpOk(probe?.readyzUrl ?? `${apiUrl}/readyz`));
    };
    await Promise.all(['api' as const, ...workerNames].map(start));
    await sandbox.afterApiReady();

    const child = (part: Part) => {
      const found = parts.get(part);
      if (!found) throw new Error(`no part named ${part}; parts: ${[...parts.keys()].join(', ')}`);
      return found;
    };
    return {
      urls: {
        api: apiUrl,
        hubspot: sandbox.hubspotUrl,
        telegram: `http://127.0.0.1:${telegram}`,
        whatsapp: `http://127.0.0.1:${whatsapp}`,
        generic: `http://127.0.0.1:${generic}`,
        twilio: `http://127.0.0.1:${twilio}`,
      },
      temporalAddress: temporal.address,
      info: sandbox.info,
      channelId: sandbox.channelId,
      accounts: sandbox.accounts,
      bridgeEnv,
      account(provider) {
        const found = sandbox.accounts.find((a) => a.provider === provider);
        if (!found) throw new Error(`no demo account for ${provider}`);
        return found;
      },
      pid: (part) => parts.get(part)?.process.pid,
      rssBytes: (part) => rssOf(child(part).process.pid),
      kill: (part, signal = 'SIGKILL') => stopChild(child(part).process, signal === 'SIGKILL' ? 0 : 10_000, signal),
      start: async (part) => {
        const running = parts.get(part);
        if (running && running.process.exitCode === null && running.process.signalCode === null)
          throw new Error(`${part} is still running`);
        await start(part);
      },
      restartTemporal: async (signal = 'SIGKILL', downMs = 0) => {
        await stopChild(temporal.process, signal === 'SIGKILL' ? 0 : 10_000, signal);
        await new Promise((r) => setTimeout(r, downMs));
        temporal = await startTemporalDevServer(devServerOptions);
      },
      stop,
    };
  } catch (error) {
    await stop();
    const logs = [...parts.values(), ...sandboxChildren].map((c) => `--- ${c.name}\n${tail(c.logFile)}`).join('\n');
    throw new Error(
      `the local system did not start: ${error instanceof Error ? error.message : String(error)}\n${logs}`,
    );
  }
}

function rssOf(pid: number | undefined): number {
  if (!pid) return 0;
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}
