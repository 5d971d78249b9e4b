import { Writable } from 'node:stream';

export interface LogLine {
  readonly level: number;
  readonly msg?: string;
  readonly reason?: unknown;
  readonly [field: string]: unknown;
}

/**
 * Where the fuzzed api logs: counts every line and keeps only the last few, so thousands of cases do not grow the
 * heap being measured. pino writes synchronously, so a request's lines are here before its answer is sent.
 */
export class LogSink extends Writable {
  written = 0;
  private readonly recent: LogLine[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.written += 1;
    this.recent.push(JSON.parse(String(chunk)) as LogLine);
    if (this.recent.length > 32) this.recent.shift();
    done();
  }

  /** The lines written after the `written` count was `mark` (at most the last 32). */
  since(mark: number): LogLine[] {
    return this.recent.slice(Math.max(0, this.recent.length - (this.written - mark)));
  }
}
