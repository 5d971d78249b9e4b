import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { startLiveBridge, type LiveBridge } from './live-bridge.js';
import { metricNames, scrapedSeries } from './promql-names.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DASHBOARD = path.join(ROOT, 'deploy/grafana/channel-bridge.json');
const RULES = path.join(ROOT, 'deploy/prometheus/channel-bridge.rules.yml');
const RULE_TESTS = path.join(ROOT, 'deploy/prometheus/channel-bridge.rules.test.yml');
/** Labels Prometheus itself adds to every scraped series. */
const SCRAPE_LABELS = new Set(['job', 'instance']);

/** Every metric name a scrape declares (`# TYPE`, with a histogram's or summary's own series) or samples. */
function exportedNames(text: string): Set<string> {
  const names = new Set(scrapedSeries(text).map((s) => s.name));
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\w+)$/gm)) {
    names.add(name!);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

function dashboardExprs(): string[] {
  const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
  return dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
}

function ruleExprs(): string[] {
  const rules = parse(fs.readFileSync(RULES, 'utf8')) as { groups: { rules: { expr: string }[] }[] };
  return rules.groups.flatMap((g) => g.rules.map((r) => r.expr));
}

/** `name{a="1", b="2"}` of each input series of the rule tests. */
function ruleTestSeries(): { selector: string; name: string; labels: Set<string> }[] {
  const tests = parse(fs.readFileSync(RULE_TESTS, 'utf8')) as { tests: { input_series: { series: string }[] }[] };
  return tests.tests.flatMap((t) =>
    t.input_series.map(({ series }) => {
      const name = /^[a-zA-Z_:][\w:]*/.exec(series)![0];
      return { selector: series, name, labels: new Set([...series.matchAll(/([a-zA-Z_]\w*)\s*=/g)].map((m) => m[1]!)) };
    }),
  );
}

describe('metrics that plug in: a real api and worker process', { timeout: 240_000 }, () => {
  let live: LiveBridge;
  let api: string;
  let worker: string;
  before(async () => {
    live = await startLiveBridge();
    [api, worker] = await Promise.all([live.scrapeApi(), live.scrapeWorker()]);
  });
  after(() => live?.close());

  it('export the standard process_* and nodejs_* names, told apart by a service label, and nothing renamed', () => {
    for (const [text, service] of [
      [api, 'api'],
      [worker, 'worker'],
    ] as const) {
      for (const name of [
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_heap_size_used_bytes',
        'nodejs_eventloop_lag_p99_seconds',
      ]) {
        assert.match(text, new RegExp(`^${name}\\{service="${service}"\\} \\d`, 'm'), `${name} on the ${service}`);
      }
      assert.doesNotMatch(text, /^bridge_(api|worker)_/m, 'no renamed default metrics');
    }
  });

  it('label every series of a process with its service, the Temporal SDK metrics included', () => {
    for (const [text, service] of [
      [api, 'api'],
      [worker, 'worker'],
    ] as const) {
      const series = text.split('\n').filter((line) => /^[a-zA-Z_]/.test(line));
      assert.ok(series.length > 50, `${service} exports series`);
      const unlabelled = series.filter((line) => !line.includes(`service="${service}"`));
      assert.deepEqual(unlabelled, [], `${service} series without service="${service}"`);
    }
    assert.match(worker, /^temporal_num_pollers\{.*poller_type="workflow_task".*service="worker"/m);
  });

  it('export channel_bridge_build_info on both processes, with the version, Node.js version and git commit', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages/bridge/package.json'), 'utf8')) as {
      version: string;
    };
    // A copy without git history (a tarball, an export) reports the commit as unknown.
    let commit = 'unknown';
    try {
      commit = execFileSync('git', ['rev-parse', 'HEAD'], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      // not a git checkout
    }
    for (const [text, service] of [
      [api, 'api'],
      [worker, 'worker'],
    ] as const) {
      assert.ok(
        text.includes(
          `channel_bridge_build_info{version="${version}",node_version="${process.version}",commit="${commit}",service="${service}"} 1`,
        ),
        `build info on the ${service}:\n${text
          .split('\n')
          .filter((l) => l.includes('build_info'))
          .join('\n')}`,
      );
    }
  });

  it('time HTTP requests by route pattern, method and status code, never by the raw path', () => {
    const count = (labels: string) =>
      new RegExp(`^http_server_request_duration_seconds_count\\{service="api",${labels}\\} (\\d+)`, 'm').exec(api)?.[1];
    assert.equal(count('method="POST",route="/webhooks/:provider/:accountId",status_code="200"'), '1');
    assert.equal(count('method="POST",route="/webhooks/:provider/:accountId",status_code="401"'), '1');
    assert.equal(count('method="POST",route="/webhooks/:provider/:accountId",status_code="404"'), '1');
    assert.ok(Number(count('method="GET",route="/readyz",status_code="200"')) >= 1);
    assert.ok(!api.includes(live.world.accountId) && !api.includes('no-such-account'), 'no account id in any label');
  });

  it('count webhook refusals by what happened', () => {
    assert.match(api, /^bridge_webhook_rejects_total\{source="generic",reason="bad-signature",service="api"\} 1$/m);
    assert.match(api, /^bridge_webhook_rejects_total\{source="generic",reason="unknown-account",service="api"\} 1$/m);
  });

  it("export the Temporal SDK's metrics with _total on counters and durations in seconds, named so", () => {
    const families = [...worker.matchAll(/^# TYPE (temporal_\w+) (\w+)$/gm)].map(([, name, type]) => ({
      name: name!,
      type: type!,
    }));
    assert.ok(families.length > 10, `SDK metric families: ${families.map((f) => f.name).join(', ')}`);
    const counters = families.filter((f) => f.type === 'counter');
    const histograms = families.filter((f) => f.type === 'histogram');
    assert.ok(counters.length > 0 && histograms.length > 0);
    assert.deepEqual(
      counters.filter((f) => !f.name.endsWith('_total')).map((f) => f.name),
      [],
      'counters without _total',
    );
    assert.deepEqual(
      histograms.filter((f) => !f.name.endsWith('_seconds')).map((f) => f.name),
      [],
      'durations not in seconds',
    );
    // A 10 ms task reads 0.01 now, where the SDK's default would have said 10.
    const sum = Number(/^temporal_workflow_task_execution_latency_seconds_sum\{[^}]*\} (\S+)/m.exec(worker)?.[1]);
    assert.ok(sum > 0 && sum < 5, `workflow task execution latency in seconds: ${sum}`);
  });

  it('export every metric the Grafana dashboard and the alert rules read', () => {
    const exported = new Set([...exportedNames(api), ...exportedNames(worker)]);
    const read = [...dashboardExprs(), ...ruleExprs()].flatMap((expr) =>
      metricNames(expr).map((name) => ({ name, expr })),
    );
    assert.ok(read.length > 20, `the dashboard and rules read metrics: ${read.length}`);
    assert.deepEqual(
      read.filter(({ name }) => !exported.has(name)),
      [],
      'metrics read but not exported',
    );
  });

  it('feed the rule tests series named and labelled as the processes export them', () => {
    const real = [...scrapedSeries(api), ...scrapedSeries(worker)];
    const exported = new Set([...exportedNames(api), ...exportedNames(worker)]);
    for (const input of ruleTestSeries()) {
      assert.ok(exported.has(input.name), `${input.name} is exported (${input.selector})`);
      const own = [...input.labels].filter((l) => !SCRAPE_LABELS.has(l)).sort();
      const shapes = real.filter((s) => s.name === input.name).map((s) => [...s.labels].sort().join(','));
      // A counter with no samples yet (nothing counted) has no label set to compare with; its name is checked above.
      if (shapes.length > 0)
        assert.ok(
          shapes.includes(own.join(',')),
          `${input.selector}: labels ${own.join(',')} are one of ${[...new Set(shapes)].join(' | ')}`,
        );
    }
  });
});
