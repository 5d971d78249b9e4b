/**
 * Exit codes every command shares (docs/OPERATING.md): 0 done, 1 a runtime failure, 2 a usage error (unknown command
 * or flag, a missing argument, a missing setting the command needs). `messages` adds 3 and 4 for its own outcomes.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Thrown for a bad command line; the message says which option or variable to set. Exits 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
