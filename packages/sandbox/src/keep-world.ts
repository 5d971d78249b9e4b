import type { IncomingMessage, RequestListener } from 'node:http';
import { readStateFile, scheduleSaves, stateFilePath, type StateSaves } from './persistence.js';

export interface WorldKeeper<T> {
  /** The emulator's data, to serialize (the live objects: serializing copies them). */
  save(): T;
  /** Puts saved data into the freshly created emulator, before it serves. */
  restore(saved: T): void;
  /** Re-drives what was in flight when it stopped; returns how many things it will send. */
  resume(): number;
}

export interface KeptWorld {
  readonly file: string;
  readonly saves: StateSaves;
  /** Set when a saved world was loaded: how many deliveries `resume` took up again. */
  readonly resumed?: number;
}

/**
 * Loads `<dir>/<name>.state` into an emulator (restore, then resume) and keeps saving it. Without a `dir` the
 * emulator lives in memory only, as tests and the standalone entrypoints want. Throws SavedStateError (readable,
 * names `--fresh`) when the file cannot be used.
 */
export function keepWorld<T>(dir: string | undefined, name: string, keeper: WorldKeeper<T>): KeptWorld | undefined {
  if (!dir) return undefined;
  const file = stateFilePath(dir, name);
  const saved = readStateFile<T>(file, name);
  let resumed: number | undefined;
  if (saved !== undefined) {
    keeper.restore(saved);
    resumed = keeper.resume();
  }
  return { file, saves: scheduleSaves(file, name, () => keeper.save()), resumed };
}

/**
 * One line on the emulator's log; the local runner counts `resumedDeliveries`
 * (packages/dev-tools/src/local/sandbox-mode.ts).
 */
export function reportRestored(name: string, kept: KeptWorld | undefined): void {
  if (kept?.resumed === undefined) return;
  process.stdout.write(
    `${JSON.stringify({ msg: 'sandbox state restored', sandbox: name, file: kept.file, resumedDeliveries: kept.resumed })}\n`,
  );
}

// The pages poll `/_sandbox/…` every second or so; those reads change nothing worth a save.
const isPageRead = (req: IncomingMessage) =>
  (req.method === 'GET' || req.method === 'HEAD') && (req.url ?? '').startsWith('/_sandbox/');

/** Wraps an app so every answered request (but the pages' polling) counts as a possible change. */
export function savingOnRequests(app: RequestListener, saves: StateSaves | undefined): RequestListener {
  if (!saves) return app;
  return function savingApp(req, res) {
    res.once('finish', () => {
      if (!isPageRead(req)) saves.changed();
    });
    app(req, res);
  };
}
