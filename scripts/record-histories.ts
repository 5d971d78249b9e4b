/**
 * `npm run record-histories`: drives the whole system for real (sandbox HubSpot, the WhatsApp and generic emulators,
 * SQLite store, api and worker) through each scenario of scripts/histories/scenarios.ts against a Temporal dev server,
 * and writes each run's history to test/fixtures/histories/<type>-<case>.json. test/workflows/replay.test.ts replays
 * them against the current code, so a change that would break running workflows fails `npm test`.
 *
 * Each fixture states what its run must end as (scripts/histories/expected.ts). A run that ended otherwise is not
 * saved: the script prints what was expected and what happened, leaves the fixture on disk as it was, and exits 1.
 * Re-record only when a change is intentional and no workflow of the old shape is still running (docs/OPERATING.md).
 * Uses TEMPORAL_ADDRESS if set, else starts its own dev server. Extra args: only the fixtures whose name contains one.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import {
  freePort,
  provisionTemporalCli,
  startTemporalDevServer,
  type DevServer,
} from '../packages/dev-tools/src/local/temporal-dev-server.js';
import { bundleWorkflows } from '../packages/bridge/src/temporal/bundle.js';
import { describeOutcome, outcomeOf, refusal, type HistoryJson } from '../test/helpers/histories.js';
import { bundleWorkflowsAt, workflowTypesAt } from './histories/code-at.js';
import { RECORDED, type RecordedFixture } from './histories/expected.js';
// Types only (erased): the modules themselves load once TEMPORAL_ADDRESS is set, below.
import type { Scenario } from './histories/scenarios.js';
import type { RecordingWorld } from './histories/world.js';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'test/fixtures/histories');
const filters = process.argv.slice(2);
const wanted = (fixture: string) => filters.length === 0 || filters.some((f) => fixture.includes(f));

const cliPath = process.env.TEMPORAL_CLI_PATH ?? (await provisionTemporalCli());
let server: DevServer | undefined;
if (!process.env.TEMPORAL_ADDRESS) {
  fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(root, '.tmp', 'record-'));
  server = await startTemporalDevServer({
    cliPath,
    port: await freePort(),
    dbFile: path.join(tmp, 'temporal.sqlite'),
    logFile: path.join(tmp, 'temporal.log'),
  });
  process.env.TEMPORAL_ADDRESS = server.address;
}
/** Bundles this run wrote; removed at the end. */
const bundles: string[] = [];
if (!process.env.WORKFLOW_BUNDLE_PATH) {
  const bundlePath = path.join(root, '.tmp', `record-bundle-${process.pid}.js`);
  fs.mkdirSync(path.dirname(bundlePath), { recursive: true });
  fs.writeFileSync(bundlePath, (await bundleWorkflows()).code);
  process.env.WORKFLOW_BUNDLE_PATH = bundlePath;
  bundles.push(bundlePath);
}

// After the env is set: the helpers read TEMPORAL_ADDRESS when they connect.
const { scenarios } = await import('./histories/scenarios.js');
const { startRecordingWorld } = await import('./histories/world.js');

/** Waits for the run to close, or for `ms`; a run still open then is refused by its expectation, not here. */
async function settle(handle: WorkflowHandle, ms: number): Promise<void> {
  // A workflow started by a webhook (outbound) may not exist yet.
  const deadline = Date.now() + ms;
  while (
    !(await handle.describe().then(
      () => true,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  await Promise.race([
    handle.result().catch(() => undefined),
    new Promise((r) => setTimeout(r, Math.max(1_000, deadline - Date.now()))),
  ]);
}

/** The CLI's JSON is the documented fixture format (historyFromJSON reads it back). */
function showHistory(workflowId: string, runId?: string): string {
  const run = runId ? ['--run-id', runId] : [];
  const json = execFileSync(
    cliPath,
    [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      ...run,
      '--output',
      'json',
      '--address',
      process.env.TEMPORAL_ADDRESS!,
    ],
    { encoding: 'utf8' },
  );
  return json.endsWith('\n') ? json : `${json}\n`;
}

/** Saves the run's history if it ended as expected; returns the refusal otherwise. */
/** `run` is a workflow id, or `{workflowId}@{runId}` for one run of several (a run that continued as new). */
async function record(
  world: RecordingWorld,
  fixture: RecordedFixture,
  run: string | undefined,
  settleMs: number,
): Promise<string | undefined> {
  const file = path.join(outDir, `${fixture}.json`);
  const shown = path.relative(root, file);
  if (!run) return `refused to save ${shown}: its scenario named no workflow for it`;
  const [workflowId = run, runId] = run.split('@');
  await settle(world.bridge.client.workflow.getHandle(workflowId, runId), settleMs);
  const json = showHistory(workflowId, runId);
  const history = JSON.parse(json) as HistoryJson;
  const refused = refusal(shown, RECORDED[fixture], history);
  if (refused) {
    // Kept for a look, outside the fixtures: .tmp/refused-histories/<fixture>.json.
    const kept = path.join(root, '.tmp', 'refused-histories', `${fixture}.json`);
    fs.mkdirSync(path.dirname(kept), { recursive: true });
    fs.writeFileSync(kept, json);
    return `${refused}\n  The refused history: ${path.relative(root, kept)}`;
  }
  fs.writeFileSync(file, json);
  console.log(`${shown}: ${history.events.length} events (${describeOutcome(outcomeOf(history))})`);
  return undefined;
}

/** Runs the scenario and records its runs; returns the refusals. */
async function play(world: RecordingWorld, scenario: Scenario): Promise<string[]> {
  let ids: Partial<Record<RecordedFixture, string>>;
  try {
    ids = await scenario.run(world);
  } catch (error) {
    return [
      `refused to save ${scenario.records.join(', ')}: the scenario did not play out: ${(error as Error).stack ?? String(error)}`,
    ];
  }
  const refused: string[] = [];
  for (const fixture of scenario.records.filter(wanted)) {
    const problem = await record(world, fixture, ids[fixture], scenario.settleMs ?? 30_000);
    if (problem) refused.push(problem);
  }
  return refused;
}

const refusals: string[] = [];
const selected = scenarios.filter((s) => s.records.some(wanted));
try {
  fs.mkdirSync(outDir, { recursive: true });
  // One world per workflow code: the working tree's ('') first, then each earlier commit a scenario names.
  for (const code of [...new Set(selected.map((s) => s.code ?? ''))].sort()) {
    const bundlePath = code ? await bundleWorkflowsAt(root, code) : undefined;
    if (bundlePath) bundles.push(bundlePath);
    const world = await startRecordingWorld({
      workflowBundlePath: bundlePath,
      ...(code ? { workflowTypes: workflowTypesAt(root, code) } : {}),
    });
    try {
      for (const scenario of selected.filter((s) => (s.code ?? '') === code))
        refusals.push(...(await play(world, scenario)));
    } finally {
      await world.stop();
    }
  }
} finally {
  await server?.stop();
  for (const bundle of bundles) fs.rmSync(bundle, { force: true });
}
for (const refused of refusals) console.error(`\n${refused}`);
process.exit(refusals.length ? 1 : 0);
