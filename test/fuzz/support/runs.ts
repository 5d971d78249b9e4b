import fc from 'fast-check';

/**
 * How many cases each property runs. The defaults keep `npm test` short; `FUZZ_RUNS=100000` turns every property
 * into a long campaign, and `FUZZ_SEED` replays the seed a failing run printed.
 */
export function runsOf(defaultRuns: number): number {
  const override = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(override) && override > 0 ? override : defaultRuns;
}

export function fuzzOptions<T>(defaultRuns: number): fc.Parameters<T> {
  const seed = Number(process.env.FUZZ_SEED);
  return { numRuns: runsOf(defaultRuns), ...(Number.isInteger(seed) ? { seed } : {}) };
}

/** A test's timeout: four minutes for the default runs, open-ended for a campaign. */
export function fuzzTimeout(): number {
  return process.env.FUZZ_RUNS ? 24 * 3_600_000 : 240_000;
}
