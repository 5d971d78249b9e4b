import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { checkTargets } from '../../packages/dev-tools/bench/report/targets.js';
import type { BenchResults } from '../../packages/dev-tools/bench/results.js';
import type { LatencySummary } from '../../packages/dev-tools/bench/stats.js';

const root = path.resolve(import.meta.dirname, '../..');

/** A latency summary with real numbers in it (speed is not asserted: the machine is shared). */
function assertLatency(summary: LatencySummary | undefined, what: string): void {
  assert.ok(summary, `${what}: no latency measured`);
  for (const key of ['p50', 'p90', 'p99', 'max'] as const)
    assert.ok(Number.isFinite(summary[key]) && summary[key] >= 0, `${what}: ${key} is ${summary[key]}`);
  assert.ok(summary.count > 0, `${what}: no samples`);
  assert.ok(summary.p50 <= summary.p99 && summary.p99 <= summary.max, `${what}: percentiles out of order`);
}

/** Keeps `npm run bench` working: the quick mode end to end, every scenario present with numbers. */
describe('npm run bench -- --quick', { timeout: 600_000 }, () => {
  const out = fs.mkdtempSync(path.join(root, '.tmp', 'bench-test-'));
  let results: BenchResults;
  let report: string;
  let output = '';

  before(
    async () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(root, 'packages/dev-tools/bench/run.ts'), '--quick', '--out', out],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 0, `the bench failed:\n${output.slice(-4000)}`);
      results = JSON.parse(fs.readFileSync(path.join(out, 'bench', 'results.json'), 'utf8')) as BenchResults;
      report = fs.readFileSync(path.join(out, 'BENCHMARKS.md'), 'utf8');
    },
    { timeout: 600_000 },
  ); // a hook does not inherit the suite's timeout; npm test's default is 4 minutes

  it('measures webhook ack latency at 50, 200 and 500 requests/s for the bridge and both baselines (scenario 1)', () => {
    for (const target of ['bridge', 'bare', 'naive'] as const) {
      for (const rate of [50, 200, 500]) {
        const run = results.ack.find((r) => r.target === target && r.ratePerSecond === rate);
        assert.ok(run, `no ack run for ${target} at ${rate}/s`);
        assert.equal(
          run.sent,
          Math.round((rate * results.plan.ack.durationMs) / 1000),
          `${target} at ${rate}/s sent a different count than its rate says`,
        );
        assertLatency(run.ack, `${target} ack at ${rate}/s`);
      }
    }
  });

  it('measures end-to-end inbound latency to the HubSpot publish, text and media mix, beside both baselines (scenario 2)', () => {
    for (const [target, label] of [
      ['bridge', 'text'],
      ['bridge', 'media'],
      ['bare', 'text'],
      ['naive', 'text'],
    ] as const) {
      const run = results.e2e.find((r) => r.target === target && r.label === label);
      assert.ok(run, `no e2e run for ${target} ${label}`);
      assertLatency(run.e2e, `${target} ${label} end to end`);
    }
  });

  it('climbs a rate ladder for every target, and no message is ever published twice (scenario 3)', () => {
    assert.deepEqual(results.throughput.map((t) => t.target).sort(), ['bare', 'bareLocal', 'bridge', 'naive']);
    for (const t of results.throughput) {
      assert.ok(t.steps.length >= 1, `${t.target} ran no step`);
      assert.ok(Number.isFinite(t.maxSustained) && Number.isFinite(t.capacity));
    }
    const everyRun = [...results.ack, ...results.e2e, ...results.throughput.flatMap((t) => t.steps)];
    assert.deepEqual(
      everyRun.filter((r) => r.duplicates > 0).map((r) => `${r.target} ${r.label} ${r.ratePerSecond}`),
      [],
    );
  });

  it('follows rep replies to the provider sandboxes and the SENT status (scenario 4)', () => {
    const [run] = results.outbound;
    assert.ok(run && run.replies > 0, 'no replies sent');
    assert.ok(
      run.delivered > 0 && run.sentWritten > 0,
      `delivered ${run.delivered}, SENT ${run.sentWritten} of ${run.replies}`,
    );
    assertLatency(run.delivery, 'outbound delivery');
    assertLatency(run.sent, 'outbound SENT');
    assertLatency(run.deliveryToSent, 'outbound delivery → SENT');
  });

  it('checks before each scenario and ladder target that the system is drained and idle, and prints it', () => {
    const labels = (results.idle ?? []).map((c) => c.label);
    for (const scenario of ['scenario 1', 'scenario 2', 'scenario 4', 'scenario 5', 'profile: bridge'])
      assert.ok(
        labels.some((l) => l.startsWith(scenario)),
        `no idle check before ${scenario}: ${labels.join(', ')}`,
      );
    for (const target of ['bridge', 'bare', 'bareLocal', 'naive'])
      assert.ok(labels.includes(`scenario 3: ladder, ${target}`), `no idle check before the ${target} ladder`);
    for (const check of results.idle ?? []) {
      assert.ok(check.waitedMs >= 0 && check.state.openWorkflows >= 0, `${check.label}: ${JSON.stringify(check)}`);
      if (check.drained) assert.equal(check.state.openWorkflows + check.state.catchUpHolds, 0);
    }
    assert.match(report, /## Starting state of each scenario/);
  });

  it('measures the workflow shapes in the same run: one local activity writes fewer events than the baseline', () => {
    const { bareHistory, localHistory, inboundHistory, cpuPerMessage } = results.profile;
    assert.ok(localHistory && localHistory.workflows > 0, 'no one-local-activity histories');
    assert.ok(
      localHistory.eventsPerWorkflow < bareHistory.eventsPerWorkflow,
      `${localHistory.eventsPerWorkflow} events against ${bareHistory.eventsPerWorkflow}`,
    );
    assert.equal(localHistory.localActivitiesPerWorkflow, 1);
    assert.ok(inboundHistory.eventsPerWorkflow > 0 && cpuPerMessage.bareLocal.messages > 0);
    assert.match(report, /## Workflow shapes/);
    assert.match(report, /one no-op local activity, one workflow task/);
  });

  it('runs the latency pass on its own system: ladder, CPU per message and replies with HubSpot held 80 ms', () => {
    const l = results.latency;
    assert.ok(l, 'no latency pass');
    assert.equal(l.hubspotLatencyMs, 80);
    assert.deepEqual(l.throughput.map((t) => t.target).sort(), ['bare', 'bareLocal', 'bridge']);
    assert.ok((l.cpuPerMessage.bridge?.messages ?? 0) > 0);
    assert.ok(l.outbound[0] && l.outbound[0].delivered > 0, 'no reply delivered in the latency pass');
    assert.match(report, /## With 80 ms HubSpot latency/);
  });

  it('drains a backlog over rate-limited portals and reports each portal against its limit (scenario 5)', () => {
    const b = results.backlog;
    assert.equal(b.portals.length, results.plan.backlog.portals);
    assert.equal(b.messages, results.plan.backlog.messages);
    assert.equal(b.duplicates, 0);
    assert.equal(b.accepted + b.refused, b.messages);
    assert.equal(b.published + b.unpublished, b.accepted);
    assert.ok(Number.isInteger(b.failed));
    for (const p of b.portals) {
      assert.ok(p.published > 0 && p.calls > 0, `portal ${p.portalId}: ${p.published} published, ${p.calls} calls`);
      assert.ok(Number.isFinite(p.shareOfLimit) && p.busiestWindow > 0);
    }
    assert.ok(Number.isFinite(b.starvationRatio) && Number.isFinite(b.rateLimitedShare));
  });

  it("mixes a rep's replies into the drain, every HubSpot call paced: status writes and downloads, and no 429 (scenario 5, issue 16)", () => {
    const o = results.backlog.outbound;
    assert.ok(o, 'the backlog ran without replies');
    assert.equal(o.replies, results.plan.backlog.replies.count);
    assert.ok(
      o.withFiles > 0 && o.downloads >= o.withFiles,
      `${o.downloads} downloads for ${o.withFiles} replies with a file`,
    );
    assert.equal(
      o.sentWritten,
      o.replies,
      `${o.sentWritten} SENT and ${o.failedWritten} FAILED of ${o.replies} replies`,
    );
    assert.ok(o.statusWrites >= o.sentWritten, `${o.statusWrites} status writes`);
    assert.equal(
      results.backlog.rateLimited,
      0,
      `${results.backlog.rateLimited} calls answered 429 (${o.rateLimited} outbound)`,
    );
    for (const p of results.backlog.portals)
      assert.ok(
        p.busiestWindow <= results.plan.backlog.rateLimit.max,
        `portal ${p.portalId}: ${p.busiestWindow} calls in one window`,
      );
    assert.match(report, /\*\*Outbound mixed in\.\*\*/);
  });

  it('samples api and worker memory under load, and profiles where the time goes (scenario 6)', () => {
    const text = results.e2e.find((r) => r.target === 'bridge' && r.label === 'text')!;
    assert.ok(text.rssMb.api!.max > 0 && text.rssMb.worker!.max > 0);
    assert.ok(results.profile.cpuPerMessage.bridge.messages > 0);
    assert.ok(Number.isFinite(results.profile.cpuPerMessage.bridge.ms.worker));
    assert.ok(
      results.profile.inboundHistory.eventsPerWorkflow > 0 && results.profile.bareHistory.eventsPerWorkflow > 0,
    );
  });

  it('writes the report with every scenario, the targets, the baselines ratios, the machine and the charts', () => {
    for (const heading of [
      '## Targets',
      '## The bridge against the baselines',
      '## Scenario 1',
      '## Scenario 2',
      '## Scenario 3',
      '## Scenario 4',
      '## Scenario 5',
      '## Scenario 6',
      '## Workflow shapes',
      '## With 80 ms HubSpot latency',
      '## Where the time goes',
      '## How to run',
    ]) {
      assert.ok(report.includes(heading), `the report has no "${heading}"`);
    }
    assert.match(report, /\*\*Machine:\*\* .+, \d+ cores/);
    const measured = checkTargets(results).filter((t) => t.met !== undefined).length;
    assert.equal((report.match(/\*\*(met|missed)\*\*/g) ?? []).length, measured, 'every measured target has a verdict');
    assert.ok(measured >= 8, `only ${measured} targets measured`);
    for (const chart of ['ack-latency.svg', 'e2e-latency.svg', 'throughput-ladder.svg', 'backlog.svg']) {
      const svg = fs.readFileSync(path.join(out, 'bench', chart), 'utf8');
      assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.ok(report.includes(`bench/${chart}`), `the report does not show ${chart}`);
    }
  });
});
