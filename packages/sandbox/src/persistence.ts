import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';

/**
 * How the emulators keep their world between runs: one `<dir>/<name>.state` file each, written with `node:v8`
 * serialization (it keeps Maps, Sets, Buffers, Dates and shared references, which JSON would lose).
 */

const FORMAT = 'channel-bridge sandbox state';
const VERSION = 1;

/** The exit code of an emulator whose saved state cannot be used; the local runner turns it into advice. */
export const UNUSABLE_STATE_EXIT_CODE = 78;

/** A saved state file that exists but cannot be used. Its message says what to do, for a person to read. */
export class SavedStateError extends Error {}

interface Envelope {
  readonly format: string;
  readonly version: number;
  readonly name: string;
  readonly data: unknown;
}

export function stateFilePath(dir: string, name: string): string {
  return path.join(dir, `${name}.state`);
}

/** The saved data, or undefined when there is no file yet. Throws SavedStateError when the file is unusable. */
export function readStateFile<T>(file: string, name: string): T | undefined {
  if (!fs.existsSync(file)) return undefined;
  let envelope: Envelope;
  try {
    envelope = v8.deserialize(fs.readFileSync(file)) as Envelope;
  } catch (error) {
    throw unusable(file, `it is damaged (${(error as Error).message.replace(/\.$/, '')})`);
  }
  if (envelope?.format !== FORMAT || envelope.name !== name) throw unusable(file, `it is not a saved ${name} sandbox`);
  if (envelope.version !== VERSION)
    throw unusable(
      file,
      `it was written by another version (format ${String(envelope.version)}, this one reads ${VERSION})`,
    );
  return envelope.data as T;
}

const unusable = (file: string, why: string) =>
  new SavedStateError(
    `the saved sandbox state ${file} cannot be used: ${why}. Start a new sandbox world with: npm start -- --fresh`,
  );

/** Serializes once; the bytes are what gets written and what tells whether anything changed. */
function encode(name: string, data: unknown): Buffer {
  return v8.serialize({ format: FORMAT, version: VERSION, name, data } satisfies Envelope);
}

/**
 * Temp file + rename, so a reader (or the next run after a crash) sees the old file or the new one, never half of
 * one. No fsync: this guards against the process dying mid-write, not the machine. Mode 0600: tokens and secrets.
 */
export function writeFileAtomically(file: string, bytes: Buffer | string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, bytes, { mode: 0o600 });
  fs.renameSync(temp, file);
}

export interface StateSaves {
  /** Something may have changed: saved within `intervalMs`. */
  changed(): void;
  /** Saves now if the state differs from the file; for a graceful stop. Stops the timer. */
  flush(): void;
}

export interface StateSaveOptions {
  /** Longest time between a change and its save. @default 1000 */
  readonly intervalMs?: number;
  /**
   * How long after the last change the state keeps being compared with the file, once per interval: retries,
   * status timers and webhook answers change it after the request that started them. @default 60_000
   */
  readonly settleMs?: number;
}

/**
 * Saves `snapshot()` at most once per `intervalMs` while changes come in, and only when its bytes differ from what
 * was written last. A slow save (a big world, a busy bench) stretches the interval so saving takes at most about
 * 5 % of the process's time: the emulators must not slow down what they stand in for.
 */
export function scheduleSaves(
  file: string,
  name: string,
  snapshot: () => unknown,
  options: StateSaveOptions = {},
): StateSaves {
  const intervalMs = options.intervalMs ?? 1000;
  const settleMs = options.settleMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let lastChange = 0;
  let lastDigest = fs.existsSync(file) ? digest(fs.readFileSync(file)) : '';
  let lastCostMs = 0;

  const save = () => {
    const started = performance.now();
    try {
      const bytes = encode(name, snapshot());
      const next = digest(bytes);
      if (next !== lastDigest) {
        writeFileAtomically(file, bytes);
        lastDigest = next;
      }
    } catch (error) {
      // A full disk must not take the emulator down: it keeps serving and tries again on the next change.
      process.stderr.write(
        `${JSON.stringify({ msg: 'sandbox state not saved', file, error: (error as Error).message })}\n`,
      );
    }
    lastCostMs = performance.now() - started;
  };
  const schedule = () => {
    timer = setTimeout(tick, Math.max(intervalMs, 20 * lastCostMs));
    timer.unref();
  };
  const tick = () => {
    timer = undefined;
    save();
    if (Date.now() - lastChange < settleMs) schedule();
  };
  return {
    changed() {
      lastChange = Date.now();
      if (!timer) schedule();
    },
    flush() {
      clearTimeout(timer);
      timer = undefined;
      save();
    },
  };
}

const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
