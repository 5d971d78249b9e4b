import fs from 'node:fs';
import os from 'node:os';
import type { DirectionCount } from './count.js';
import type { ScenarioResult } from './scenario.js';
import { holds, markdownTable, verdict } from './table.js';

export const RESULTS_BEGIN = '<!-- chaos:results:begin (written by npm run chaos) -->';
export const RESULTS_END = '<!-- chaos:results:end -->';

function orderAndCopies(direction: string, c: DirectionCount): string[] {
  const lines: string[] = [];
  if (c.outOfOrder > 0)
    lines.push(
      `- ${direction} out of order by provider: ${JSON.stringify(c.outOfOrderByProvider)}; for example ${c.outOfOrderExamples
        .slice(0, 2)
        .map((e) => `\`${e}\``)
        .join(', ')}`,
    );
  if (c.duplicated > 0) lines.push(`- ${direction} duplicated by provider: ${JSON.stringify(c.duplicatedByProvider)}`);
  return lines;
}

function judgement(r: ScenarioResult): string {
  return holds(r) ? 'Holds.' : `**Does not hold:** ${verdict(r).slice(r.name.length + 2)}.`;
}

function details(r: ScenarioResult): string {
  const reasons = (label: string, rs: Record<string, number>) =>
    Object.entries(rs).map(([reason, n]) => `  - ${label}: ${n} × ${reason}`);
  return [
    `### ${r.name}: ${r.title}`,
    '',
    `${r.size.conversations} conversations, ${r.inbound.sent} customer messages and ${r.outbound.sent} rep replies at ${r.size.ratePerSecond}/s; ` +
      `traffic ${r.trafficSeconds} s, settled in ${r.settleSeconds} s. ${judgement(r)}`,
    '',
    ...r.events.map((e) => `- ${e}`),
    ...(['inbound', 'outbound'] as const).flatMap((d) => orderAndCopies(d, r[d])),
    ...(Object.keys(r.inbound.reasons).length + Object.keys(r.outbound.reasons).length > 0
      ? ['- not published:', ...reasons('inbound', r.inbound.reasons), ...reasons('outbound', r.outbound.reasons)]
      : []),
    ...(r.skipped > 0
      ? [
          `- not sent by the traffic generator: ${r.skipped} (${r.trafficErrors.slice(0, 3).join('; ') || 'rep replies with no thread in time'})`,
        ]
      : []),
    '',
  ].join('\n');
}

/** The generated part of docs/RELIABILITY.md: the table, then what each scenario did and saw. */
export function resultsMarkdown(results: readonly ScenarioResult[], startedAt: Date): string {
  return [
    RESULTS_BEGIN,
    '',
    `Last full run: ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${os.cpus().length} cores (shared), Node ${process.version}.`,
    '',
    markdownTable(results),
    '',
    ...results.map(details),
    RESULTS_END,
  ].join('\n');
}

/** Replaces the generated part of the doc, keeping the hand-written text around it. */
export function writeReliabilityDoc(file: string, results: readonly ScenarioResult[], startedAt: Date): void {
  const doc = fs.readFileSync(file, 'utf8');
  const begin = doc.indexOf(RESULTS_BEGIN);
  const end = doc.indexOf(RESULTS_END);
  if (begin < 0 || end < begin) throw new Error(`${file} has no ${RESULTS_BEGIN} … ${RESULTS_END} section to fill`);
  fs.writeFileSync(
    file,
    doc.slice(0, begin) + resultsMarkdown(results, startedAt) + doc.slice(end + RESULTS_END.length),
  );
}
