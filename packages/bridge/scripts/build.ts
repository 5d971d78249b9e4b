/**
 * `npm run build`: what production runs with plain node, in the bridge's dist/ (or `--out-dir DIR`, from the repository
 * root): only the bridge package; the sandbox and the dev tools are other packages and never reach it.
 * 1. src/ compiled by tsc (tsconfig.build.json): dist/server.js, dist/worker.js, dist/cli/index.js and what they
 *    import;
 * 2. the files under src/ that are not TypeScript (the console's assets), beside their modules as in src/;
 * 3. the workflow bundle, built once here instead of at every worker start (dist/workflow-bundle.js, which the image
 *    names in WORKFLOW_BUNDLE_PATH), and its twin with the tracing interceptors (dist/workflow-bundle-traced.js).
 * An `--out-dir` must sit inside the repository, so node_modules resolves from it (test/deploy builds into .tmp/).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflows } from '../src/temporal/bundle.js';
import { TRACED_WORKFLOW_BUNDLE_FILE, WORKFLOW_BUNDLE_FILE } from '../src/temporal/prebuilt-bundle.js';
import { bundleTracedWorkflows } from '../src/tracing/worker.js';

const bridge = path.resolve(import.meta.dirname, '..');
const root = path.resolve(bridge, '../..');
const args = process.argv.slice(2);
const outFlag = args.indexOf('--out-dir');
const outDir =
  outFlag === -1 ? path.join(bridge, 'dist') : path.resolve(root, args[outFlag + 1] ?? path.join(bridge, 'dist'));
if (path.relative(root, outDir).startsWith('..'))
  throw new Error(`--out-dir must be inside ${root}, so node_modules resolves from it`);

function step<T>(what: string, run: () => T): T {
  const started = Date.now();
  const result = run();
  console.log(`build: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}

function copyAssets(from: string, to: string): number {
  let copied = 0;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) copied += copyAssets(source, path.join(to, entry.name));
    else if (!entry.name.endsWith('.ts')) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(source, path.join(to, entry.name));
      copied += 1;
    }
  }
  return copied;
}

fs.rmSync(outDir, { recursive: true, force: true });
step(`tsc -p tsconfig.build.json → ${path.relative(root, outDir)}`, () => {
  const tsc = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      path.join(bridge, 'tsconfig.build.json'),
      '--outDir',
      outDir,
    ],
    { stdio: 'inherit' },
  );
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
});
step('assets', () => copyAssets(path.join(bridge, 'src'), outDir));

const started = Date.now();
const [plain, traced] = await Promise.all([bundleWorkflows(), bundleTracedWorkflows()]);
fs.writeFileSync(path.join(outDir, WORKFLOW_BUNDLE_FILE), plain.code);
fs.writeFileSync(path.join(outDir, TRACED_WORKFLOW_BUNDLE_FILE), traced);
const kib = (text: string) => `${Math.round(Buffer.byteLength(text) / 1024)} KiB`;
console.log(
  `build: workflow bundles ${kib(plain.code)} and ${kib(traced)} traced (${((Date.now() - started) / 1000).toFixed(1)} s)`,
);
