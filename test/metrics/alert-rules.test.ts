import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { before, describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RULES_DIR = path.join(ROOT, 'deploy/prometheus');

/**
 * promtool from scripts/provision-promtool.sh (PROMTOOL_PATH, the cached build, or a build through the Go module
 * proxy).
 */
function provisionPromtool(): { path: string } | { missing: string } {
  // npm test provisions it before the run (scripts/test.ts) and says why when it could not.
  if (process.env.PROMTOOL_MISSING) return { missing: process.env.PROMTOOL_MISSING };
  const run = spawnSync('bash', [path.join(ROOT, 'scripts/provision-promtool.sh')], {
    encoding: 'utf8',
    timeout: 30 * 60_000,
  });
  if (run.status === 0) return { path: run.stdout.trim() };
  return { missing: run.stderr.trim().split('\n').slice(-2).join(' ') || `provision-promtool.sh exited ${run.status}` };
}

// Building promtool the first time takes minutes; after that it is cached in .tools/.
describe('the alert rules in deploy/prometheus', { timeout: 35 * 60_000 }, () => {
  let promtool: { path: string } | { missing: string };
  before(() => {
    promtool = provisionPromtool();
  });

  const promtoolOr = (t: { skip: (message: string) => void }) => {
    if ('missing' in promtool) {
      t.skip(`not checked with promtool: ${promtool.missing}`);
      return undefined;
    }
    return promtool.path;
  };

  it('are valid Prometheus rules', (t) => {
    const bin = promtoolOr(t);
    if (!bin) return;
    const out = execFileSync(bin, ['check', 'rules', 'channel-bridge.rules.yml'], { cwd: RULES_DIR, encoding: 'utf8' });
    assert.match(out, /SUCCESS: 6 rules found/);
  });

  it('each fire on the recorded series that should fire them, and stay quiet short of that (promtool test rules)', (t) => {
    const bin = promtoolOr(t);
    if (!bin) return;
    const run = spawnSync(bin, ['test', 'rules', 'channel-bridge.rules.test.yml'], {
      cwd: RULES_DIR,
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, `promtool test rules:\n${run.stdout}${run.stderr}`);
    assert.match(run.stdout, /SUCCESS/);
  });
});
