import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

// Under tsx this module is src/temporal/bundle.ts beside the TypeScript workflows; built by `npm run build` it is
// dist/temporal/bundle.js beside the compiled ones (the traced bundle is still made at worker start from there).
const BUILT = import.meta.url.endsWith('.js');

/** The barrel every worker loads. */
export const WORKFLOWS_PATH = fileURLToPath(
  BUILT ? new URL('../workflows/index.js', import.meta.url) : new URL('../workflows/index.ts', import.meta.url),
);

/**
 * Bundles the workflows for the worker's sandbox. ESM sources import `./x.js` while the files are `.ts`,
 * so webpack is told to try `.ts` first, the way tsc resolves them.
 */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } },
    }),
  });
}
