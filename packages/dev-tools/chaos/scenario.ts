import fs from 'node:fs';
import path from 'node:path';
import type { LocalSystem } from '../src/local/system.js';
import { bundleWorkflows } from '../../bridge/src/temporal/bundle.js';
import { clearAllFaults } from './faults.js';
import { settle, type Counts } from './settle.js';
import { startChaosSystem } from './system.js';
import { startTraffic, type Traffic, type TrafficPlan } from './traffic.js';
import { createWorld, type World } from './world.js';

/** How big a run is: `npm run chaos` uses thousands of messages, `npm test` a few hundred. */
export interface ScenarioSize {
  readonly conversations: number;
  readonly inboundPerConversation: number;
  readonly outboundPerConversation: number;
  readonly ratePerSecond: number;
  /** How long, after the traffic and the faults end, the system may take to deliver the rest. */
  readonly settleMs: number;
}

/** What a scenario's fault script gets while the traffic flows. */
export interface ChaosContext {
  readonly world: World;
  readonly system: LocalSystem;
  readonly traffic: Traffic;
  readonly size: ScenarioSize;
  /**
   * The workflow bundle the worker loads when it starts, and the working tree's (they differ when `startOn` is set).
   */
  readonly bundles: { readonly loaded: string; readonly current: string };
  /** Records what the scenario did, stamped with the seconds since the traffic started. */
  note(text: string): void;
  /** Records a figure the scenario measured (a latency, a count), kept in the result for the tests and the doc. */
  measure(name: string, value: number): void;
}

export interface Scenario {
  /** Short id for filters and file names: `worker-kill`. */
  readonly name: string;
  readonly title: string;
  /** Share of customer messages with a photo. @default 0.1 */
  readonly photoShare?: number;
  readonly sandboxEnv?: NodeJS.ProcessEnv;
  readonly bridgeEnv?: NodeJS.ProcessEnv;
  /** Its own mix of traffic from the size it is run at (more replies, a slower rate). @default the size as given */
  resize?(size: ScenarioSize): ScenarioSize;
  /**
   * Writes the workflow bundle the system starts on to `bundlePath` (the previous version's, for a deploy). The worker
   * loads whatever that file holds when it starts. @default the working tree's bundle
   */
  startOn?(bundlePath: string): Promise<void>;
  /** Injects the faults while the traffic flows; resolves when they are over (every fault is then cleared). */
  inject(ctx: ChaosContext): Promise<void>;
}

export interface ScenarioResult extends Counts {
  readonly name: string;
  readonly title: string;
  readonly size: ScenarioSize;
  readonly events: string[];
  /** Rep replies not written because a conversation had no thread in time, and emulator calls that failed. */
  readonly skipped: number;
  readonly trafficErrors: string[];
  readonly trafficSeconds: number;
  readonly settleSeconds: number;
  /** ISO time the traffic started. */
  readonly startedAt: string;
  /** What the scenario measured (ChaosContext.measure). */
  readonly measures?: Record<string, number>;
}

export interface RunOptions {
  /** A fresh folder per scenario is made inside it. */
  readonly workDir: string;
  readonly workflowBundlePath?: string;
  readonly log?: (line: string) => void;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/**
 * Starts a fresh system, runs the traffic and the scenario's faults together, clears the faults, settles and counts.
 */
export async function runScenario(
  scenario: Scenario,
  asked: ScenarioSize,
  options: RunOptions,
): Promise<ScenarioResult> {
  const log = options.log ?? (() => undefined);
  const size = scenario.resize?.(asked) ?? asked;
  const bundles = await bundlesFor(scenario, options);
  const system = await startFresh(scenario, { ...options, workflowBundlePath: bundles.loaded }, log);
  try {
    const world = await createWorld(system, size.conversations);
    const plan: TrafficPlan = { ...size, photoShare: scenario.photoShare ?? 0.1 };
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    const events: string[] = [];
    const note = (text: string) => {
      events.push(`${seconds(Date.now() - started).toFixed(1)} s: ${text}`);
      log(`${scenario.name}: ${events.at(-1)}`);
    };
    const measures: Record<string, number> = {};
    const measure = (name: string, value: number) => void (measures[name] = value);
    const traffic = startTraffic(world, plan);
    const [sentLog] = await Promise.all([
      traffic.done,
      scenario.inject({ world, system, traffic, size, bundles, note, measure }),
    ]);
    await clearAllFaults(world);
    const trafficSeconds = seconds(Date.now() - started);
    note(`traffic done: ${sentLog.sent.length} messages sent; settling`);
    const settleStarted = Date.now();
    const counts = await settle(world, sentLog.sent, size.settleMs, (c) =>
      log(
        `${scenario.name}: settling: inbound ${c.inbound.published}/${c.inbound.sent}, outbound ${c.outbound.published + c.outbound.failed}/${c.outbound.sent}`,
      ),
    );
    return {
      name: scenario.name,
      title: scenario.title,
      size,
      ...counts,
      events,
      skipped: sentLog.skipped + sentLog.errors.length,
      trafficErrors: sentLog.errors.slice(0, 20),
      trafficSeconds,
      settleSeconds: seconds(Date.now() - settleStarted),
      startedAt,
      ...(Object.keys(measures).length > 0 ? { measures } : {}),
    };
  } finally {
    await system.stop();
    if (bundles.loaded !== bundles.current) fs.rmSync(bundles.loaded, { force: true });
  }
}

/** The working tree's bundle (bundled once into workDir unless given), and the one the system starts on. */
async function bundlesFor(scenario: Scenario, options: RunOptions): Promise<ChaosContext['bundles']> {
  fs.mkdirSync(options.workDir, { recursive: true });
  let current = options.workflowBundlePath;
  if (!current) {
    current = path.join(options.workDir, `workflow-bundle-${process.pid}.js`);
    if (!fs.existsSync(current)) fs.writeFileSync(current, (await bundleWorkflows()).code);
  }
  if (!scenario.startOn) return { loaded: current, current };
  // Its own file: a deploy overwrites it with the current code, and other scenarios share `current`.
  const loaded = path.join(options.workDir, `${scenario.name}-${Date.now()}-bundle.js`);
  await scenario.startOn(loaded);
  return { loaded, current };
}

/**
 * A fresh system in its own folder. Started a second time if the first start fails: free ports are picked before the
 * children bind them, and another process on this machine can take one in between.
 */
async function startFresh(scenario: Scenario, options: RunOptions, log: (line: string) => void): Promise<LocalSystem> {
  fs.mkdirSync(options.workDir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const dataDir = fs.mkdtempSync(path.join(options.workDir, `${scenario.name}-`));
    log(`${scenario.name}: starting the system in ${dataDir}`);
    try {
      return await startChaosSystem({
        dataDir,
        workflowBundlePath: options.workflowBundlePath,
        sandboxEnv: scenario.sandboxEnv,
        bridgeEnv: scenario.bridgeEnv,
      });
    } catch (error) {
      if (attempt >= 2) throw error;
      log(`${scenario.name}: the system did not start (${(error as Error).message.split('\n')[0]}); once more`);
    }
  }
}
