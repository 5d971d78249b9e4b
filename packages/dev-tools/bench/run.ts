/**
 * `npm run bench`: the whole system on loopback (its own Temporal dev server, sandboxes, api, worker), both baselines
 * beside it, and scenarios 1-6; prints a table and writes docs/BENCHMARKS.md with charts in docs/bench/.
 * `npm run bench -- --quick` runs the same at small sizes in a few minutes and writes to .tmp/bench/ (unless
 * --write-docs). Everything it starts, it stops, also on Ctrl-C.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { startLocalSystem } from '../src/local/system.js';
import { provisionTemporalCli } from '../src/local/temporal-dev-server.js';
import { startBaselines } from './baselines/start.js';
import { buildBridge } from './build-bridge.js';
import { startMediaServer } from './load/media.js';
import { findPid } from './observe/cpu.js';
import { HubSpotLedger } from './observe/hubspot-ledger.js';
import type { IdleCheck } from './observe/idle.js';
import { FULL, LADDER_TARGETS, QUICK } from './plan.js';
import { createPortals } from './portals.js';
import { describeMachine, loadNow } from './report/machine.js';
import { writeReport } from './report/write.js';
import type { BenchResults } from './results.js';
import { backlogScenario } from './scenarios/backlog.js';
import { ackScenario, e2eScenario, throughputScenario, type InboundContext } from './scenarios/inbound.js';
import { outboundRuns } from './scenarios/outbound.js';
import { latencyPass, UNTHROTTLED_BRIDGE_ENV } from './scenarios/latency-pass.js';
import { profileScenario } from './scenarios/profile.js';
import { accountsOf, probeSystem, settler, targetsOf } from './system-targets.js';

// The repository's root: docs/ and .tmp/ are there (this file is packages/dev-tools/bench/run.ts).
const root = path.resolve(import.meta.dirname, '../../..');
const args = new Command()
  .option('--quick', 'small sizes, a few minutes (CI)')
  .option('--write-docs', 'with --quick: write docs/ anyway')
  .option('--out <dir>', 'where the report goes (default docs/, or .tmp/bench/ for --quick)')
  .option('--hubspot-latency-ms <ms>', 'latency the HubSpot sandbox adds to every call', '0')
  .option('--report-only <results.json>', 'write the report again from a saved run, running nothing')
  .parse()
  .opts<{ quick?: boolean; writeDocs?: boolean; out?: string; hubspotLatencyMs: string; reportOnly?: string }>();

if (args.reportOnly) {
  const saved = JSON.parse(fs.readFileSync(args.reportOnly, 'utf8')) as BenchResults;
  const outTo = path.resolve(args.out ?? path.join(root, 'docs'));
  console.log(writeReport(saved, outTo).table);
  process.exit(0);
}

const plan = args.quick ? QUICK : FULL;
const outDir = path.resolve(
  args.out ?? (args.quick && !args.writeDocs ? path.join(root, '.tmp/bench') : path.join(root, 'docs')),
);
const hubspotLatencyMs = Number(args.hubspotLatencyMs);
fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
const dataRoot = fs.mkdtempSync(path.join(root, '.tmp', 'bench-data-'));
const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

// Whatever is running is stopped on the way out, also on Ctrl-C, so no process outlives the bench.
const running = new Set<{ stop(): Promise<void> }>();
const stopAll = async () => {
  for (const part of [...running].reverse()) await part.stop().catch(() => undefined);
  running.clear();
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => void stopAll().finally(() => process.exit(130)));
}

async function main(): Promise<BenchResults> {
  const cliPath = await provisionTemporalCli();
  const machine = describeMachine(cliPath);
  // The bridge runs as deployed: compiled once for every system of the run, with its prebuilt workflow bundle.
  const bridgeBuild = buildBridge(path.join(dataRoot, 'dist'));
  log(`${plan.mode} run; data in ${path.relative(root, dataRoot)}; load average ${machine.loadAverage.start}`);

  // Scenarios 1-4 and 6: one portal, HubSpot's rate limit lifted (scenario 5 has its own system with the real limit).
  // A reply's workflow waits for read receipts after SENT (a week by default); 5 s lets it end, so the next scenario
  // can start from no open workflow, and changes none of the figures (all are taken by SENT).
  const unthrottled = await startLocalSystem({
    dataDir: path.join(dataRoot, 'a'),
    bridgeBuild,
    sandboxEnv: { SANDBOX_HUBSPOT_RATE_LIMIT_MAX: '1000000000', SANDBOX_HUBSPOT_LATENCY_MS: String(hubspotLatencyMs) },
    bridgeEnv: UNTHROTTLED_BRIDGE_ENV,
  });
  running.add(unthrottled);
  const baselines = await startBaselines(unthrottled, path.join(dataRoot, 'a', 'logs'));
  running.add(baselines);
  const media = await startMediaServer(40_000);
  running.add({ stop: media.close });
  const idle: IdleCheck[] = [];
  const probe = await probeSystem(unthrottled, path.join(dataRoot, 'a'));
  running.add({ stop: probe.close });
  const settle = settler(probe, idle, plan.idleTimeoutMs, log);
  log('system, baselines and media server up');

  const ledger = new HubSpotLedger(unthrottled.urls.hubspot);
  await ledger.skipToEnd();
  const ctx: InboundContext = {
    targets: targetsOf(unthrottled, baselines, ledger),
    accounts: accountsOf(unthrottled),
    mediaUrl: media.url,
    log,
  };

  await settle('scenario 2: end-to-end inbound latency');
  const e2e = await e2eScenario(ctx, plan.e2e.rates, plan.e2e.durationMs, plan.drainTimeoutMs);
  log('profile: CPU per message, histories, fixed costs, store');
  const profile = await profileScenario(
    unthrottled,
    path.join(dataRoot, 'a'),
    baselines,
    ctx.targets,
    {
      ...plan.profile,
      drainTimeoutMs: plan.drainTimeoutMs,
      historySample: plan.historySample,
      beforeEach: settle,
    },
    ledger,
  );

  const outbound = await outboundRuns(unthrottled, ledger, plan.outbound, {
    drainTimeoutMs: plan.drainTimeoutMs,
    settled: (rate) => settle(`scenario 4: outbound @${rate}/s`),
    ran: (rate, result) =>
      log(
        `outbound @${rate}/s: delivered ${result.delivered}/${result.replies}, p50 ${result.delivery?.p50} p99 ${result.delivery?.p99} ms; SENT p50 ${result.sent?.p50} ms, ${result.deliveryToSent?.p50} ms after delivery`,
      ),
  });

  const throughput = [];
  for (const name of LADDER_TARGETS) {
    await settle(`scenario 3: ladder, ${name}`);
    throughput.push(
      await throughputScenario(ctx, name, plan.throughput.ladder, plan.throughput.durationMs, plan.drainTimeoutMs),
    );
  }

  await settle('scenario 1: webhook ack latency');
  const ack = await ackScenario(ctx, plan.ack.rates, plan.ack.durationMs, plan.ack.drainTimeoutMs);
  await stopAll();

  log('scenario 5: backlog over rate-limited portals');
  const limited = await startLocalSystem({
    dataDir: path.join(dataRoot, 'b'),
    bridgeBuild,
    sandboxEnv: {
      SANDBOX_HUBSPOT_RATE_LIMIT_MAX: String(plan.backlog.rateLimit.max),
      SANDBOX_HUBSPOT_RATE_LIMIT_INTERVAL_MS: String(plan.backlog.rateLimit.intervalMs),
      SANDBOX_HUBSPOT_LATENCY_MS: String(hubspotLatencyMs),
    },
    bridgeEnv: { HUBSPOT_RATE_LIMIT_PER_10S: String(plan.backlog.rateLimit.max) },
  });
  running.add(limited);
  const portals = await createPortals(limited, path.join(dataRoot, 'b'), plan.backlog.portals);
  const portalsReadyAt = Date.now();
  log(`${portals.length} portals installed, each with a generic channel account`);
  const limitedProbe = await probeSystem(limited, path.join(dataRoot, 'b'));
  running.add({ stop: limitedProbe.close });
  await settler(limitedProbe, idle, plan.idleTimeoutMs, log)('scenario 5: backlog');
  const limitedTemporal = findPid(path.join(dataRoot, 'b', 'temporal.sqlite'));
  const backlog = await backlogScenario(limited, portals, plan.backlog, log, portalsReadyAt, () => ({
    worker: limited.pid('worker'),
    temporal: limitedTemporal,
  }));
  await stopAll();

  const latency = plan.latencyPass
    ? await latencyPass({
        plan: plan.latencyPass,
        drainTimeoutMs: plan.drainTimeoutMs,
        idleTimeoutMs: plan.idleTimeoutMs,
        dataDir: path.join(dataRoot, 'c'),
        bridgeBuild,
        running,
        log,
      })
    : undefined;
  await stopAll();

  return {
    mode: plan.mode,
    startedAt: new Date(started).toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    machine: { ...machine, loadAverage: { ...machine.loadAverage, end: loadNow() } },
    hubspotLatencyMs,
    plan,
    ack,
    e2e,
    throughput,
    outbound,
    backlog,
    profile,
    idle,
    ...(latency ? { latency } : {}),
  };
}

try {
  const results = await main();
  const written = writeReport(results, outDir);
  log(`report: ${path.relative(root, written.report)}`);
  console.log(written.table);
  fs.rmSync(dataRoot, { recursive: true, force: true });
  process.exit(0);
} catch (error) {
  console.error(error);
  await stopAll();
  console.error(`bench failed; logs kept in ${path.relative(root, dataRoot)}`);
  process.exit(1);
}
