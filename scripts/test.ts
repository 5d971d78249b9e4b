/**
 * `npm test`: typecheck, provision the Temporal CLI, start ONE dev server and bundle the workflows once
 * for the whole suite, then run every test/**\/*.test.ts file with node's test runner against them.
 * Prints `N passed, N failed` on its own line for CI. Extra args filter test files by substring.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflows } from '../packages/bridge/src/temporal/bundle.js';
import {
  freePort,
  provisionTemporalCli,
  startTemporalDevServer,
} from '../packages/dev-tools/src/local/temporal-dev-server.js';
import { testRunnerFlags } from './test-runner-args.js';

const root = path.resolve(import.meta.dirname, '..');
// One folder per run, so several runs (developers, helpers) can share the machine.
fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
const tmp = fs.mkdtempSync(path.join(root, '.tmp', 'test-'));
const filters = process.argv.slice(2);

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

function readCounts(file: string): { passed: number; failed: number; skipped: number } {
  return fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { passed: number; failed: number; skipped: number })
    : { passed: 0, failed: 0, skipped: 0 };
}

// SKIP_TYPECHECK=1 is for quick local iterations only; CI always typechecks.
const skipTypecheck = process.env.SKIP_TYPECHECK === '1' && !process.env.CI;
console.log(skipTypecheck ? 'typecheck skipped (SKIP_TYPECHECK=1)' : 'typecheck: tsc --noEmit');
const tsc = skipTypecheck
  ? { status: 0 }
  : spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root], {
      stdio: 'inherit',
    });
if (tsc.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// Lint and format (docs/DEVELOPING.md § Lint and format), over the whole tree. SKIP_LINT=1 skips it, and so does
// SKIP_TYPECHECK=1 (a quick iteration skips both static checks); CI always runs it.
const skipLint = (process.env.SKIP_LINT === '1' || skipTypecheck) && !process.env.CI;
const lintSteps: [name: string, bin: string, args: string[]][] = [
  [
    'eslint',
    'node_modules/eslint/bin/eslint.js',
    ['--max-warnings=0', '--cache', '--cache-location', '.tmp/eslint-cache', '.'],
  ],
  [
    'prettier --check',
    'node_modules/prettier/bin/prettier.cjs',
    ['--check', '--log-level=warn', '--cache', '--cache-location', '.tmp/prettier-cache', '.'],
  ],
];
console.log(
  skipLint ? 'lint skipped (SKIP_LINT=1 or SKIP_TYPECHECK=1)' : `lint: ${lintSteps.map(([name]) => name).join(', ')}`,
);
const lintFailures = (skipLint ? [] : lintSteps)
  .filter(
    ([, bin, args]) =>
      spawnSync(process.execPath, [path.join(root, bin), ...args], { cwd: root, stdio: 'inherit' }).status !== 0,
  )
  .map(([name]) => name);
if (lintFailures.length > 0) {
  console.log(
    `lint failed (${lintFailures.join(', ')}): run \`npx eslint --fix . && npx prettier --write .\`, then fix what is left by hand`,
  );
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const cliPath = await provisionTemporalCli();
// The time-skipping test server, for workflow tests of long waits (TestWorkflowEnvironment.createTimeSkipping).
const testServerPath = execFileSync('bash', [path.join(root, 'scripts/provision-test-server.sh')], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
}).trim();
const chromiumPath = execFileSync('bash', [path.join(root, 'scripts/provision-chromium.sh')], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
}).trim();
const server = await startTemporalDevServer({
  cliPath,
  port: await freePort(),
  dbFile: path.join(tmp, 'temporal.sqlite'),
  logFile: path.join(tmp, 'temporal.log'),
});
console.log(`temporal dev server at ${server.address} (${cliPath})`);
// A throwaway PostgreSQL for the store backend tests (Debian's package, loopback, a temp folder).
const [databaseUrl, pgDir] = execFileSync(
  'bash',
  [path.join(root, 'scripts/provision-postgres.sh'), 'start', String(await freePort())],
  {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  },
)
  .trim()
  .split(' ');
console.log(`postgresql at ${databaseUrl}`);
const bundlePath = path.join(tmp, 'workflow-bundle.js');
fs.writeFileSync(bundlePath, (await bundleWorkflows()).code);

const files = findTests(path.join(root, 'test'))
  .filter((f) => filters.length === 0 || filters.some((needle) => f.includes(needle)))
  .sort();
// promtool for the alert rules' tests (deploy/prometheus), only when they run: built once with Go into .tools/
// (minutes on a fresh machine, then cached). When it cannot be had, the tests skip saying why instead of building
// again.
const promtoolEnv: Record<string, string> = {};
if (files.some((f) => f.includes('alert-rules'))) {
  const promtool = spawnSync('bash', [path.join(root, 'scripts/provision-promtool.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (promtool.status === 0) promtoolEnv.PROMTOOL_PATH = promtool.stdout.trim();
  else promtoolEnv.PROMTOOL_MISSING = `scripts/provision-promtool.sh exited ${promtool.status}: see its lines above`;
}
const countsFile = path.join(tmp, 'counts.json');
// A fuzz campaign (FUZZ_RUNS=…, docs/SECURITY.md § Fuzzing) runs as long as it was asked to: no 4-minute or 40-minute
// limit.
const campaign = Boolean(process.env.FUZZ_RUNS);
const runner = spawn(
  process.execPath,
  [
    ...testRunnerFlags({ campaign }),
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${path.join(root, 'scripts/count-reporter.mjs')}`,
    `--test-reporter-destination=${path.join(tmp, 'counts.log')}`,
    ...files,
  ],
  {
    stdio: 'inherit',
    cwd: root,
    env: {
      ...process.env,
      TEST_COUNTS_FILE: countsFile,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_CLI_PATH: cliPath,
      TEMPORAL_TEST_SERVER_PATH: testServerPath,
      CHROMIUM_PATH: chromiumPath,
      ...promtoolEnv,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      BRIDGE_TEST_DATABASE_URL: databaseUrl,
      // Third-party specs for opt-in cross-checks: only an explicit SPECS_DIR, never a default outside the repository.
      ...(process.env.SPECS_DIR ? { SPECS_DIR: path.resolve(process.env.SPECS_DIR) } : {}),
    },
  },
);
const stopAll = () => runner.kill('SIGTERM');
// Whole-run watchdog, far below CI's 90 minutes.
const watchdog = setTimeout(() => {
  console.log('test run exceeded 40 minutes; stopping it');
  stopAll();
}, 40 * 60_000);
watchdog.unref();
if (campaign) clearTimeout(watchdog);
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
const code: number = await new Promise((resolve) => runner.on('exit', (c) => resolve(c ?? 1)));
await server.stop();
execFileSync('bash', [path.join(root, 'scripts/provision-postgres.sh'), 'stop', pgDir!], { stdio: 'inherit' });
const { passed, failed, skipped } = readCounts(countsFile);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed === 0 && code === 0) fs.rmSync(tmp, { recursive: true, force: true });
else console.log(`temporal log and results kept in ${path.relative(root, tmp)}`);
process.exit(code === 0 && failed === 0 && passed > 0 ? 0 : 1);
