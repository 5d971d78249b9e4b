/**
 * The node test runner's flags for `npm test`, apart from scripts/test.ts so a test can run a file the
 * same way (test/standalone/fail-fast.test.ts).
 */
export interface RunnerFlagOptions {
  /** A fuzz campaign (FUZZ_RUNS=…) runs as long as it was asked to: no per-test limit. */
  readonly campaign?: boolean;
}

export function testRunnerFlags(options: RunnerFlagOptions = {}): string[] {
  return [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    // A hung test fails after 8 minutes instead of holding CI. Node 20 also applies it to each test file as a whole,
    // over any timeout the file sets, so it must cover the longest file (the quick benchmark, about 4 minutes).
    `--test-timeout=${options.campaign ? 7 * 24 * 3_600_000 : 480_000}`,
    // A file whose setup failed can leave servers or workers open. Its tests are already reported as
    // failed with the hook's error, so the file ends then, not at the timeout above.
    '--test-force-exit',
  ];
}
