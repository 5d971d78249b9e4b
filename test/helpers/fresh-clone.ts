import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface FreshClone {
  /** The empty folder the clone sits in, alone. */
  readonly parent: string;
  /** The clone itself: `<parent>/channel-bridge`. */
  readonly dir: string;
  remove(): void;
}

/**
 * What `git clone` of this repository gives, in an empty temporary folder: every tracked file and every
 * untracked one git does not ignore, as they are in the working tree (so a developer's uncommitted work is
 * what gets tried; on CI's fresh clone that is the clone). `node_modules` is a link to the installed one.
 */
export function freshClone(): FreshClone {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-bridge-clone-'));
  const dir = path.join(parent, 'channel-bridge');
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  // node_modules is linked below; a checkout whose own node_modules is a link lists it as an untracked file.
  for (const file of listed.split('\0').filter((f) => f && f !== 'node_modules')) {
    const from = path.join(ROOT, file);
    if (!fs.existsSync(from)) continue; // deleted in the working tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.cpSync(from, path.join(dir, file), { verbatimSymlinks: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { parent, dir, remove: () => fs.rmSync(parent, { recursive: true, force: true }) };
}

/**
 * A newcomer's environment: PATH and HOME, no SPECS_DIR and none of the test run's own settings (its
 * Temporal server, bundle, database). Only the provisioned Temporal CLI is reused, to stay fast.
 */
export function newcomerEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'USER', 'TEMPORAL_CLI_PATH'];
  return {
    ...Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]])),
    ...extra,
  };
}

export interface RunningCommand {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  /** Ctrl-C, as a user gives it: SIGINT to the whole process group; SIGKILL if it has not ended in time. */
  interrupt(timeoutMs?: number): Promise<number | null>;
}

/** Runs a shell command line as typed in a terminal, in its own process group. */
export function runCommand(commandLine: string, cwd: string, env: NodeJS.ProcessEnv): RunningCommand {
  const child = spawn('bash', ['-c', commandLine], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  return {
    child,
    output: () => output,
    exited,
    async interrupt(timeoutMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      signalGroup('SIGINT');
      const timer = setTimeout(() => signalGroup('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      signalGroup('SIGKILL'); // anything of the group still left
      return code;
    },
  };
}
