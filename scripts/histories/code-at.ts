/**
 * The workflow code of an earlier commit, bundled for a worker: how `npm run record-histories` records a run of the
 * shape from before a patch (a run that was in flight when the patch was deployed). Reads git, never changes it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

/** Bundles `<commit>:src/workflows/index.ts` as src/temporal/bundle.ts bundles the working tree's; returns the bundle's path. */
export async function bundleWorkflowsAt(root: string, commit: string): Promise<string> {
  const scratch = path.join(root, '.tmp');
  fs.mkdirSync(scratch, { recursive: true });
  // Inside the repository, so the bundler resolves @temporalio/workflow from its node_modules.
  const dir = fs.mkdtempSync(path.join(scratch, `record-code-${commit}-`));
  try {
    const tar = execFileSync('git', ['-C', root, 'archive', '--format=tar', commit, 'src'], { maxBuffer: 256 << 20 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    const { code } = await bundleWorkflowCode({
      workflowsPath: path.join(dir, 'src/workflows/index.ts'),
      logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
      webpackConfigHook: (config) => ({ ...config, resolve: { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } } }),
    });
    const bundlePath = path.join(scratch, `record-bundle-${commit}-${process.pid}.js`);
    fs.writeFileSync(bundlePath, code);
    return bundlePath;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
