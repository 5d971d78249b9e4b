/**
 * `npm run bench:profile`: where the worker's CPU goes per inbound text message (issue 9). Runs the whole system with
 * the worker under `node --cpu-prof`, prints a table and writes docs/bench/worker-profile.md and .json.
 * `-- --messages N --rate R --out DIR` change the size and where it writes; `-- --report-only FILE` rewrites the page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { workerProfileMarkdown, workerProfileTable } from './markdown.js';
import { profileWorker, type WorkerProfileResult } from './run-profile.js';

// The repository's root: docs/ and .tmp/ are there (this file is packages/dev-tools/bench/worker-profile/main.ts).
const root = path.resolve(import.meta.dirname, '../../../..');
const args = new Command()
  .option('--messages <n>', 'messages in the measured window', '600')
  .option('--rate <perSecond>', 'messages per second', '20')
  .option('--warmup <n>', 'messages sent before the window', '60')
  .option('--out <dir>', 'where worker-profile.md and .json go', path.join(root, 'docs', 'bench'))
  .option('--keep', 'keep the data folder (logs, .cpuprofile files)')
  .option('--report-only <worker-profile.json>', 'write worker-profile.md again from a saved run, running nothing')
  .parse()
  .opts<{ messages: string; rate: string; warmup: string; out: string; keep?: boolean; reportOnly?: string }>();

if (args.reportOnly) {
  const saved = JSON.parse(fs.readFileSync(args.reportOnly, 'utf8')) as WorkerProfileResult;
  fs.writeFileSync(path.join(args.out, 'worker-profile.md'), workerProfileMarkdown(saved));
  console.log(workerProfileTable(saved));
  process.exit(0);
}

fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
const dataDir = fs.mkdtempSync(path.join(root, '.tmp', 'worker-profile-'));
const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
try {
  const result = await profileWorker({
    dataDir,
    messages: Number(args.messages),
    ratePerSecond: Number(args.rate),
    warmupMessages: Number(args.warmup),
    drainTimeoutMs: 120_000,
    ...(process.env.WORKFLOW_BUNDLE_PATH ? { workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH } : {}),
    log,
  });
  fs.mkdirSync(args.out, { recursive: true });
  fs.writeFileSync(path.join(args.out, 'worker-profile.json'), `${JSON.stringify(result, null, 1)}\n`);
  fs.writeFileSync(path.join(args.out, 'worker-profile.md'), workerProfileMarkdown(result));
  console.log(workerProfileTable(result));
  log(
    `written: ${path.relative(root, path.join(args.out, 'worker-profile.md'))}${args.keep ? `; data in ${path.relative(root, dataDir)}` : ''}`,
  );
  if (!args.keep) fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
} catch (error) {
  console.error(error);
  console.error(`the worker profile failed; data kept in ${path.relative(root, dataDir)}`);
  process.exit(1);
}
