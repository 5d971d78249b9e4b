import type { HistoryProfile } from '../observe/history.js';
import type { ProfileResults } from '../results.js';
import type { ThroughputResult } from '../scenarios/inbound.js';
import { round } from '../stats.js';
import { table } from './format.js';

/** The workflow shapes the report compares, the engine baseline (one no-op activity) first. */
export const SHAPES = ['bare', 'bareLocal', 'bridge'] as const;
export type Shape = (typeof SHAPES)[number];

const SHAPE_NAMES: Record<Shape, string> = {
  bare: 'bare: one no-op activity (the engine baseline)',
  bareLocal: 'one no-op local activity, one workflow task',
  bridge: "the bridge's inbound message",
};

export interface ShapeRow {
  readonly shape: Shape;
  readonly events?: number;
  /** CPU ms per workflow of the Temporal server and of the worker, at the profile's fixed rate. */
  readonly serverMs?: number;
  readonly workerMs?: number;
  /** The highest sustained rate of the ladder, messages/s. */
  readonly sustained?: number;
  /** Each figure over the engine baseline's; undefined where either is missing. */
  readonly ratio: {
    readonly events?: number;
    readonly serverMs?: number;
    readonly workerMs?: number;
    readonly cpuMs?: number;
    readonly sustained?: number;
  };
}

const over = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? undefined : round(a / b, 2);

/** One row per shape from one run's figures (histories are absent in the latency pass, which counts none). */
export function workflowShapes(
  cpu: Partial<ProfileResults['cpuPerMessage']>,
  throughput: readonly ThroughputResult[],
  histories: Partial<Record<Shape, HistoryProfile | undefined>> = {},
): ShapeRow[] {
  const figures = (shape: Shape) => ({
    events: histories[shape]?.eventsPerWorkflow,
    serverMs: cpu[shape]?.ms.temporal,
    workerMs: cpu[shape]?.ms.worker,
    sustained: throughput.find((t) => t.target === shape)?.maxSustained,
  });
  const base = figures('bare');
  const cpuOf = (f: ReturnType<typeof figures>) =>
    f.serverMs === undefined || f.workerMs === undefined ? undefined : f.serverMs + f.workerMs;
  return SHAPES.map((shape) => {
    const f = figures(shape);
    return {
      shape,
      ...f,
      ratio: {
        events: over(f.events, base.events),
        serverMs: over(f.serverMs, base.serverMs),
        workerMs: over(f.workerMs, base.workerMs),
        cpuMs: over(cpuOf(f), cpuOf(base)),
        sustained: over(f.sustained, base.sustained),
      },
    };
  });
}

const withRatio = (value: number | undefined, ratio: number | undefined, unit = '') =>
  value === undefined ? undefined : `${value}${unit}${ratio === undefined ? '' : ` (×${ratio})`}`;

/** The shapes as a Markdown table, ratios to the engine baseline in brackets. */
export function shapesTable(rows: readonly ShapeRow[]): string {
  return table(
    ['workflow shape', 'history events', 'server CPU ms', 'worker CPU ms', 'server + worker', 'highest sustained rate'],
    rows.map((row) => [
      SHAPE_NAMES[row.shape],
      withRatio(row.events, row.ratio.events),
      withRatio(row.serverMs, row.ratio.serverMs),
      withRatio(row.workerMs, row.ratio.workerMs),
      withRatio(
        row.serverMs !== undefined && row.workerMs !== undefined ? round(row.serverMs + row.workerMs, 2) : undefined,
        row.ratio.cpuMs,
      ),
      withRatio(row.sustained, row.ratio.sustained, '/s'),
    ]),
  );
}
