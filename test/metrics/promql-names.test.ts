import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricNames, scrapedSeries } from './promql-names.js';

describe('metricNames', () => {
  it('finds the metrics of a quantile over a histogram, not its labels, functions or variables', () => {
    const expr =
      'histogram_quantile(0.99, sum by (le, route) (rate(http_server_request_duration_seconds_bucket{service="api", route=~"/webhooks/.*"}[$__rate_interval])))';
    assert.deepEqual(metricNames(expr), ['http_server_request_duration_seconds_bucket']);
  });

  it('finds both sides of a binary expression and ignores keywords and numbers', () => {
    const expr =
      '(sum(temporal_num_pollers{poller_type="workflow_task"}) or vector(0)) == 0 and on (instance) channel_bridge_build_info > 1e3';
    assert.deepEqual(metricNames(expr).sort(), ['channel_bridge_build_info', 'temporal_num_pollers']);
  });
});

describe('scrapedSeries', () => {
  it('reads names and label names from Prometheus text, skipping comments', () => {
    const text = '# HELP x help\n# TYPE x counter\nx_total{a="1",b="say \\"hi\\""} 3\nup 1\n';
    assert.deepEqual(
      scrapedSeries(text).map((s) => [s.name, [...s.labels].sort()]),
      [
        ['x_total', ['a', 'b']],
        ['up', []],
      ],
    );
  });
});
