import fs from 'node:fs';
import path from 'node:path';
import type { BenchResults } from '../results.js';
import type { WorkerProfileResult } from '../worker-profile/run-profile.js';
import { charts } from './charts.js';
import { mark } from './format.js';
import { markdown } from './markdown.js';
import { checkTargets } from './targets.js';

/**
 * Writes BENCHMARKS.md, bench/*.svg and bench/results.json under `outDir`; returns the report's path and a console
 * table.
 */
export function writeReport(results: BenchResults, outDir: string): { report: string; table: string } {
  const chartDir = path.join(outDir, 'bench');
  fs.mkdirSync(chartDir, { recursive: true });
  const drawn = charts(results);
  for (const [file, svg] of Object.entries(drawn)) fs.writeFileSync(path.join(chartDir, file), svg);
  // The sampled workflow ids served the profile only; the rest is every figure of the report.
  fs.writeFileSync(
    path.join(chartDir, 'results.json'),
    `${JSON.stringify(results, (key, value: unknown) => (key === 'sampleKeys' ? undefined : value), 1)}\n`,
  );
  const report = path.join(outDir, 'BENCHMARKS.md');
  // `npm run bench:profile` writes the worker's CPU profile beside the charts; the report quotes it when it is there.
  const profileFile = path.join(chartDir, 'worker-profile.json');
  const workerProfile = fs.existsSync(profileFile)
    ? (JSON.parse(fs.readFileSync(profileFile, 'utf8')) as WorkerProfileResult)
    : undefined;
  fs.writeFileSync(report, markdown(results, Object.keys(drawn), 'bench', workerProfile));
  const rows = checkTargets(results).map(
    (t) => `${mark(t.met).replace(/\*/g, '').padEnd(12)} ${t.target}: ${t.measured}`,
  );
  return { report, table: ['targets:', ...rows].join('\n') };
}
