import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflows } from '../../bridge/src/temporal/bundle.js';
import { SCENARIOS, FULL_SIZE } from './scenarios/index.js';
import { runScenario, type ScenarioResult, type ScenarioSize } from './scenario.js';
import { writeReliabilityDoc } from './report.js';
import { mergeReliabilityDoc } from './report-merge.js';
import { textTable, verdict } from './table.js';

// `npm run chaos [-- <name>...] [--scale 0.2] [--from .tmp/chaos-…] [--doc]`: every scenario (or the named ones) at
// full
// size, one after the other; `--from` prints (and writes into the doc) what an earlier run saved instead of running
// again.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const args = process.argv.slice(2);
const scaleAt = args.indexOf('--scale');
const scale = scaleAt >= 0 ? Number(args[scaleAt + 1]) : 1;
const fromAt = args.indexOf('--from');
const names = args.filter(
  (a, i) => !a.startsWith('--') && !(scaleAt >= 0 && i === scaleAt + 1) && !(fromAt >= 0 && i === fromAt + 1),
);
const chosen = SCENARIOS.filter((s) => names.length === 0 || names.includes(s.name));
if (chosen.length === 0)
  throw new Error(`no scenario named ${names.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);

const startedAt = new Date();
const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const results = fromAt >= 0 ? readResults(args[fromAt + 1]!) : await runAll();
process.stdout.write(`\n${textTable(results)}\n\n${results.map(verdict).join('\n')}\n`);
// A full run of every scenario rewrites the results (or `--from` a full run's folder); a full-size run of some
// scenarios
// (`--doc`) replaces only theirs; a scaled run, or one without `--doc`, just prints.
const docFile = path.join(ROOT, 'docs/RELIABILITY.md');
const runAt = fromAt >= 0 && results[0] ? new Date(results[0].startedAt) : startedAt;
if (results.length === SCENARIOS.length && scale === 1) {
  writeReliabilityDoc(docFile, results, runAt);
  log('docs/RELIABILITY.md updated');
} else if (args.includes('--doc') && scale === 1 && results.length > 0) {
  mergeReliabilityDoc(
    docFile,
    results,
    runAt,
    SCENARIOS.map((s) => s.name),
  );
  log(`docs/RELIABILITY.md: the results of ${results.map((r) => r.name).join(', ')} replaced`);
}
// The core promise: nothing accepted is lost, and HubSpot never shows a status that is not true.
if (results.some((r) => r.inbound.lost + r.outbound.lost + r.outbound.wrongStatus > 0)) process.exitCode = 1;

async function runAll(): Promise<ScenarioResult[]> {
  const size: ScenarioSize = { ...FULL_SIZE, conversations: Math.max(3, Math.round(FULL_SIZE.conversations * scale)) };
  const workDir = path.join(ROOT, '.tmp', `chaos-${startedAt.toISOString().replace(/[:.]/g, '-')}`);
  fs.mkdirSync(workDir, { recursive: true });
  const bundlePath = path.join(workDir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, (await bundleWorkflows()).code);
  const done: ScenarioResult[] = [];
  for (const scenario of chosen) {
    const result = await runScenario(scenario, size, { workDir, workflowBundlePath: bundlePath, log });
    done.push(result);
    fs.writeFileSync(path.join(workDir, `${scenario.name}.json`), JSON.stringify(result, null, 2));
    log(
      `${scenario.name}: done in ${Math.round(result.trafficSeconds + result.settleSeconds)} s; results in ${workDir}`,
    );
  }
  return done;
}

/** The results a run saved (`<scenario>.json` in its folder), in the scenarios' order. */
function readResults(dir: string): ScenarioResult[] {
  return chosen
    .filter((s) => fs.existsSync(path.join(dir, `${s.name}.json`)))
    .map((s) => JSON.parse(fs.readFileSync(path.join(dir, `${s.name}.json`), 'utf8')) as ScenarioResult);
}
