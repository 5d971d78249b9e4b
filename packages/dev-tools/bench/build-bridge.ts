import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');

/**
 * Builds the bridge as `npm run build` does for the image (tsc, assets, the prebuilt workflow bundles) into `outDir`,
 * which must be inside the repository so node_modules resolves from it; the bench then runs the api and worker as
 * deployed, with plain node, rather than through tsx (whose loader and compiled-source cache cost memory a deployment
 * does not pay).
 */
export function buildBridge(outDir: string): string {
  const built = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'packages/bridge/scripts/build.ts'), '--out-dir', path.relative(root, outDir)],
    { cwd: root, encoding: 'utf8' },
  );
  if (built.status !== 0)
    throw new Error(`npm run build failed (exit ${built.status}):\n${built.stdout}\n${built.stderr}`.trim());
  return outDir;
}
