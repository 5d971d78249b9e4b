import type { LatencySummary } from '../stats.js';

/** A Markdown table; cells are strings or numbers, `undefined` shows as a dash. */
export function table(headers: readonly string[], rows: readonly (readonly (string | number | undefined)[])[]): string {
  const cell = (c: string | number | undefined) => (c === undefined || c === '' ? '–' : String(c));
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

export const ms = (s: LatencySummary | undefined, key: keyof LatencySummary) => (s ? s[key] : undefined);

/** `a / b` as "×1.8", or a dash when either side is missing. */
export function ratio(a: number | undefined, b: number | undefined): string | undefined {
  if (a === undefined || b === undefined || b === 0) return undefined;
  const r = a / b;
  return `×${r >= 10 ? Math.round(r) : Math.round(r * 100) / 100}`;
}

export const pct = (x: number, digits = 0) => `${(x * 100).toFixed(digits)} %`;

export const mark = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? '**met**' : '**missed**');
