import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { testRunnerFlags } from '../../scripts/test-runner-args.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/runner/setup-fails.ts');

/** Runs one file as npm test runs every file, and returns its output and how long it took. */
async function runLikeNpmTest(file: string): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT; // a runner started from inside a test would otherwise report to this one
  const child = spawn(process.execPath, [...testRunnerFlags(), '--test-reporter=spec', file], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output, ms: Date.now() - started };
}

describe('a test file whose setup fails', () => {
  it('ends within seconds with the reason, though its setup left a server open', { timeout: 60_000 }, async () => {
    const run = await runLikeNpmTest(FIXTURE);
    assert.notEqual(run.code, 0, 'the run fails');
    assert.match(run.output, /the emulator could not start: its schema is missing/, 'the output says why');
    assert.ok(run.ms < 30_000, `ended after ${run.ms} ms, not at the 240 s test timeout`);
  });
});
