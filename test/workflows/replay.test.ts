import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import * as workflows from '../../packages/bridge/src/workflows/index.js';
import { bundleWorkflows } from '../../packages/bridge/src/temporal/bundle.js';
import { expectationFor, OLD_SHAPES, RECORDED } from '../../scripts/histories/expected.js';
import { checkRecording, patchMarkers, type HistoryJson } from '../helpers/histories.js';
import { patchCoverageProblems, patchIdsIn } from '../helpers/patch-ids.js';
import '../helpers/temporal.js';

const root = path.resolve(import.meta.dirname, '../..');
const fixturesDir = path.resolve(import.meta.dirname, '../fixtures/histories');
// Only the top folder is replayed: refused/ keeps broken runs for the refusal's own tests.
const fixtures = fs
  .readdirSync(fixturesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const readFixture = (fixture: string) =>
  JSON.parse(fs.readFileSync(path.join(fixturesDir, fixture), 'utf8')) as HistoryJson;
const nameOf = (fixture: string) => fixture.replace(/\.json$/, '');

/** What a developer reads when a recorded history no longer replays. */
function advice(fixture: string, error: unknown): string {
  return [
    `test/fixtures/histories/${fixture} no longer replays against the current workflow code:`,
    `  ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    'Workflows of this shape that are running in production would fail the same way after a deploy.',
    '  - Keep the old behaviour for old runs: wrap the change in `if (patched("<change-id>")) { new } else { old }`,',
    '    and later `deprecatePatch("<change-id>")` once no old run is left (docs/OPERATING.md, "Changing a workflow").',
    '  - Or, if the change is intentional AND no workflow of the old shape is running anywhere, re-record:',
    '    `npm run record-histories` and commit the new fixtures with the change. A `-v0` fixture is a run on earlier',
    '    code (scripts/histories/expected.ts): re-recording cannot mend it; it fails as those runs would.',
  ].join('\n');
}

async function bundleFrom(workflowsPath: string) {
  return {
    code: (
      await bundleWorkflowCode({
        workflowsPath,
        logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never,
      })
    ).code,
  };
}

/** The determinism guard: every recorded history replays against the current code. */
describe('recorded workflow histories replay against the current workflow code', () => {
  let workflowBundle: { codePath: string } | { code: string };
  before(async () => {
    // npm test bundles once for the run; run alone, bundle the current sources the way the worker does.
    workflowBundle = process.env.WORKFLOW_BUNDLE_PATH
      ? { codePath: process.env.WORKFLOW_BUNDLE_PATH }
      : { code: (await bundleWorkflows()).code };
  });

  for (const fixture of fixtures) {
    it(`replays ${fixture}`, async () => {
      const history = historyFromJSON(readFixture(fixture));
      try {
        await Worker.runReplayHistory({ workflowBundle }, history, fixture);
      } catch (error) {
        assert.fail(advice(fixture, error));
      }
    });
  }

  it('holds only runs that ended as their case says, and every run the script records', () => {
    const problems = fixtures.flatMap((fixture) => {
      const expected = expectationFor(nameOf(fixture));
      if (!expected)
        return [`${fixture}: no expectation in scripts/histories/expected.ts; a fixture must say what its run shows`];
      return checkRecording(expected, readFixture(fixture)).map((p) => `${fixture}: ${p}`);
    });
    const missing = Object.keys(RECORDED).filter((name) => !fixtures.includes(`${name}.json`));
    problems.push(...missing.map((name) => `${name}.json is missing: run \`npm run record-histories -- ${name}\``));
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('covers every patch of the workflow code: a run that took its new branch and one of the shape from before it', () => {
    const { uses, unreadable } = patchIdsIn(path.join(root, 'packages/bridge/src/workflows'), root);
    assert.deepEqual(
      unreadable,
      [],
      `cannot tell which patch these calls name; pass a string constant:\n${unreadable.join('\n')}`,
    );
    assert.ok(uses.length > 0, 'no patched() call found in src/workflows: the reader is broken');
    const markers = new Map(fixtures.map((f) => [nameOf(f), patchMarkers(readFixture(f))]));
    const problems = patchCoverageProblems(uses, markers, OLD_SHAPES);
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('has a recorded history for every workflow type the worker registers', () => {
    const recorded = new Set(fixtures.map((f) => f.split('-')[0]));
    const missing = Object.keys(workflows).filter((type) => !recorded.has(type));
    assert.deepEqual(
      missing,
      [],
      `no recorded history for ${missing.join(', ')}: add a scenario to scripts/histories/scenarios.ts and run \`npm run record-histories\``,
    );
  });
});

describe('the determinism guard', () => {
  it('fails with a message naming the fixture and what to do when a workflow changes its steps', async () => {
    // A copy of the workflows where the inbound workflow schedules a different first step.
    // Inside the repo, so the bundler resolves @temporalio/workflow from its node_modules.
    const scratch = path.resolve(import.meta.dirname, '../../.tmp');
    fs.mkdirSync(scratch, { recursive: true });
    const dir = fs.mkdtempSync(path.join(scratch, 'changed-workflows-'));
    fs.writeFileSync(
      path.join(dir, 'index.ts'),
      [
        "import { proxyActivities } from '@temporalio/workflow';",
        "const { recordInboundMapping } = proxyActivities<Record<string, (...args: unknown[]) => Promise<unknown>>>({ startToCloseTimeout: '10 seconds' });",
        'export async function inboundMessageWorkflow(): Promise<void> {',
        "  await recordInboundMapping('changed');",
        '}',
      ].join('\n'),
    );
    const changed = await bundleFrom(path.join(dir, 'index.ts')).finally(() =>
      fs.rmSync(dir, { recursive: true, force: true }),
    );
    const fixture = 'inboundMessageWorkflow-published.json';
    const history = historyFromJSON(readFixture(fixture));
    const error = await Worker.runReplayHistory({ workflowBundle: changed }, history, fixture).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error, 'the changed workflow must not replay');
    const message = advice(fixture, error);
    assert.match(message, /inboundMessageWorkflow-published\.json no longer replays/);
    assert.match(message, /DeterminismViolationError|Nondeterminism|nondeterminism/i);
    assert.match(message, /patched\(/);
    assert.match(message, /npm run record-histories/);
  });
});
