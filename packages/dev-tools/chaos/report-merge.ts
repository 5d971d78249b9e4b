import fs from 'node:fs';
import os from 'node:os';
import { resultsMarkdown, RESULTS_BEGIN, RESULTS_END } from './report.js';
import type { ScenarioResult } from './scenario.js';

interface Section {
  /** Lines above the table: "Last full run: …", and which scenarios ran on their own when. */
  readonly notes: string[];
  /** The table's header and separator. */
  readonly tableHead: string[];
  readonly rows: Map<string, string[]>;
  readonly details: Map<string, string>;
}

const ROW = /^\| ([a-z0-9-]+) \| (inbound|outbound) \|/;

/** The generated section read back: its notes, each scenario's table rows and its details block. */
function parseSection(section: string): Section {
  const [top, ...blocks] = section.replace(RESULTS_END, '').split(/\n(?=### )/);
  const notes: string[] = [];
  const tableHead: string[] = [];
  const rows = new Map<string, string[]>();
  for (const line of top!.split('\n')) {
    const name = ROW.exec(line)?.[1];
    if (name) rows.set(name, [...(rows.get(name) ?? []), line]);
    else if (line.startsWith('|')) tableHead.push(line);
    else if (line.trim() && line !== RESULTS_BEGIN) notes.push(line);
  }
  const details = new Map(blocks.map((b) => [/^### ([a-z0-9-]+):/.exec(b)?.[1] ?? '', b.trimEnd()]));
  return { notes, tableHead, rows, details };
}

const RAN_ALONE = 'run on their own at full size';

/**
 * A full-size run of some scenarios only: their rows and details replace theirs in docs/RELIABILITY.md, the others'
 * stay as the last full run left them, and a line says which scenarios ran when. `order` is every scenario's name.
 */
export function mergeReliabilityDoc(
  file: string,
  results: readonly ScenarioResult[],
  startedAt: Date,
  order: readonly string[],
): void {
  const doc = fs.readFileSync(file, 'utf8');
  const begin = doc.indexOf(RESULTS_BEGIN);
  const end = doc.indexOf(RESULTS_END);
  if (begin < 0 || end < begin) throw new Error(`${file} has no ${RESULTS_BEGIN} … ${RESULTS_END} section to fill`);
  const old = parseSection(doc.slice(begin, end));
  const fresh = parseSection(resultsMarkdown(results, startedAt));
  const rows = new Map([...old.rows, ...fresh.rows]);
  const details = new Map([...old.details, ...fresh.details]);
  const names = order.filter((n) => rows.has(n));
  const when = `${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${os.cpus().length} cores (shared), Node ${process.version}`;
  const ran = `${results.map((r) => r.name).join(', ')}: ${RAN_ALONE} on ${when}.`;
  const notes = [...old.notes.filter((l) => !results.every((r) => l.includes(r.name) && l.includes(RAN_ALONE))), ran];
  const section = [
    RESULTS_BEGIN,
    '',
    ...notes.flatMap((l) => [l, '']),
    ...(old.tableHead.length ? old.tableHead : fresh.tableHead),
    ...names.flatMap((n) => rows.get(n)!),
    '',
    ...names.filter((n) => details.has(n)).flatMap((n) => [details.get(n)!, '']),
    RESULTS_END,
  ].join('\n');
  fs.writeFileSync(file, doc.slice(0, begin) + section + doc.slice(end + RESULTS_END.length));
}
