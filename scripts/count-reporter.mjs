// A node:test reporter that only counts: leaf tests passed, failed and skipped (suites excluded).
// It writes the totals synchronously when the run ends, so scripts/test.ts can print CI's summary line
// even when the runner exits abruptly. Plain JS because node loads reporters before tsx.
import fs from 'node:fs';

export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') continue;
    if (event.data.skip || event.data.todo) counts.skipped += 1;
    else if (event.type === 'test:pass') counts.passed += 1;
    else counts.failed += 1;
    fs.writeFileSync(process.env.TEST_COUNTS_FILE, JSON.stringify(counts));
  }
  yield '';
}
