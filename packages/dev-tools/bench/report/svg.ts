/** A small line chart as a standalone SVG string: written by hand from the run's data, no dependency. */
export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Logarithmic y axis (latencies spanning ms to seconds). */
  readonly logY?: boolean;
  /** Labels for x values; numbers by default. */
  readonly xTicks?: readonly { value: number; label: string }[];
  /** Horizontal reference lines (targets, limits). */
  readonly marks?: readonly { y: number; label: string }[];
}

const COLORS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];
const W = 720;
const H = 360;
const M = { left: 64, right: 170, top: 36, bottom: 48 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (n: number) =>
  Math.abs(n) >= 1000
    ? `${Math.round(n / 100) / 10}k`
    : Math.abs(n) >= 10
      ? String(Math.round(n))
      : String(Math.round(n * 10) / 10);

function niceTicks(min: number, max: number, count = 5): number[] {
  const span = max - min || 1;
  const step = 10 ** Math.floor(Math.log10(span / count));
  const mult = [1, 2, 5, 10].find((m) => span / (step * m) <= count) ?? 10;
  const s = step * mult;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / s) * s; v <= max + s * 1e-9; v += s) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}

function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++)
    for (const m of [1, 2, 5]) ticks.push(m * 10 ** e);
  return ticks.filter((t) => t >= min * 0.999 && t <= max * 1.001);
}

export function lineChart(o: ChartOptions): string {
  const all = o.series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = [...all.map((p) => p[1]), ...(o.marks ?? []).map((m) => m.y)];
  const xMin = Math.min(0, ...xs);
  const xMax = Math.max(1, ...xs);
  const yMin = o.logY
    ? Math.max(0.1, 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(...ys.filter((y) => y > 0))))))
    : 0;
  const yMax = o.logY ? 10 ** Math.ceil(Math.log10(Math.max(1, ...ys))) : Math.max(1, ...ys) * 1.08;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (v: number) => M.left + ((v - xMin) / (xMax - xMin || 1)) * pw;
  const y = (v: number) =>
    o.logY
      ? M.top +
        ph -
        ((Math.log10(Math.max(yMin, v)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin) || 1)) * ph
      : M.top + ph - ((v - yMin) / (yMax - yMin || 1)) * ph;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
  );
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${M.left}" y="20" font-size="14" font-weight="bold">${esc(o.title)}</text>`);
  for (const t of o.logY ? logTicks(yMin, yMax) : niceTicks(yMin, yMax)) {
    parts.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end" fill="#555">${fmt(t)}</text>`);
  }
  for (const t of o.xTicks ?? niceTicks(xMin, xMax, 8).map((v) => ({ value: v, label: fmt(v) }))) {
    parts.push(`<line x1="${x(t.value)}" x2="${x(t.value)}" y1="${M.top}" y2="${M.top + ph}" stroke="#f0f0f0"/>`);
    parts.push(
      `<text x="${x(t.value)}" y="${M.top + ph + 16}" text-anchor="middle" fill="#555">${esc(t.label)}</text>`,
    );
  }
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  parts.push(`<text x="${M.left + pw / 2}" y="${H - 10}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(
    `<text transform="translate(16 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`,
  );
  for (const m of o.marks ?? []) {
    parts.push(
      `<line x1="${M.left}" x2="${M.left + pw}" y1="${y(m.y)}" y2="${y(m.y)}" stroke="#000" stroke-dasharray="2 3"/>`,
    );
    parts.push(`<text x="${M.left + pw - 4}" y="${y(m.y) - 4}" text-anchor="end">${esc(m.label)}</text>`);
  }
  o.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
    if (d)
      parts.push(
        `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      );
    // Few points (a rate ladder): mark each, so a one-step series still shows.
    if (s.points.length <= 30 && !s.dashed)
      for (const p of s.points)
        parts.push(`<circle cx="${x(p[0]).toFixed(1)}" cy="${y(p[1]).toFixed(1)}" r="3" fill="${color}"/>`);
    const ly = M.top + 10 + i * 16;
    parts.push(
      `<line x1="${W - M.right + 12}" x2="${W - M.right + 34}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    parts.push(`<text x="${W - M.right + 40}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Percentiles on a "nines" axis (50, 90, 99, 99.9 evenly spaced), where tail latency is visible. */
export const nines = (percentile: number) => -Math.log10(1 - Math.min(percentile, 99.99) / 100);
export const NINES_TICKS = [0, 50, 90, 99, 99.9, 99.99].map((p) => ({
  value: nines(p),
  label: p === 0 ? 'p0' : `p${p}`,
}));
