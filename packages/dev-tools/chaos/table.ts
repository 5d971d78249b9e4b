import type { DirectionCount } from './count.js';
import type { ScenarioResult } from './scenario.js';

const COLUMNS = [
  'scenario',
  'direction',
  'sent',
  'published',
  'lost',
  'duplicated',
  'reached the bridge out of order',
  'published out of order',
  'failed (reason)',
  'wrong status',
] as const;

function rows(results: readonly ScenarioResult[]): string[][] {
  const row = (r: ScenarioResult, direction: string, c: DirectionCount) =>
    [
      r.name,
      direction,
      c.sent,
      c.published,
      c.lost,
      c.duplicated,
      c.arrivedOutOfOrder ?? '–',
      c.outOfOrder,
      c.failed,
      c.wrongStatus,
    ].map(String);
  return results.flatMap((r) => [row(r, 'inbound', r.inbound), row(r, 'outbound', r.outbound)]);
}

/** The table `npm run chaos` prints. */
export function textTable(results: readonly ScenarioResult[]): string {
  const all = [[...COLUMNS], ...rows(results)];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all
    .map((r) => r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '))
    .join('\n');
}

/** The same table in Markdown, for docs/RELIABILITY.md. */
export function markdownTable(results: readonly ScenarioResult[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(COLUMNS), line(COLUMNS.map((_, i) => (i < 2 ? '---' : '---:'))), ...rows(results).map(line)].join('\n');
}

/** A scenario holds when nothing was lost, duplicated or reordered, and every status HubSpot shows is true. */
export const holds = (r: ScenarioResult) =>
  [r.inbound, r.outbound].every((c) => c.lost === 0 && c.duplicated === 0 && c.outOfOrder === 0 && c.wrongStatus === 0);

/** One line per scenario for the console: does the promise hold, and if not, what broke. */
export function verdict(r: ScenarioResult): string {
  const problems = (['inbound', 'outbound'] as const).flatMap((d) => {
    const c = r[d];
    return [
      c.lost > 0 ? `${d}: ${c.lost} lost` : '',
      c.duplicated > 0 ? `${d}: ${c.duplicated} duplicated ${JSON.stringify(c.duplicatedByProvider)}` : '',
      c.outOfOrder > 0 ? `${d}: ${c.outOfOrder} out of order (${c.outOfOrderBySender} as the sender delivered)` : '',
      c.wrongStatus > 0 ? `${d}: ${c.wrongStatus} with a wrong status` : '',
    ].filter(Boolean);
  });
  return `${r.name}: ${problems.length === 0 ? 'holds' : problems.join('; ')}`;
}
