import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What `npm run build` (packages/bridge/scripts/build.ts) writes beside dist/server.js and dist/worker.js. */
export const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';
/** The same workflows bundled with the OpenTelemetry workflow interceptors (BRIDGE_TRACING). */
export const TRACED_WORKFLOW_BUNDLE_FILE = 'workflow-bundle-traced.js';

/**
 * The workflow bundle that `npm run build` wrote into dist/, when this code runs from dist/ and the file is there;
 * undefined under tsx (src/), where the worker bundles at start as before. The image also names the plain one in
 * WORKFLOW_BUNDLE_PATH, so a worker started from it never runs webpack.
 */
export function prebuiltWorkflowBundlePath(options: { readonly traced?: boolean } = {}): string | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const file = fileURLToPath(
    new URL(`../${options.traced ? TRACED_WORKFLOW_BUNDLE_FILE : WORKFLOW_BUNDLE_FILE}`, import.meta.url),
  );
  return fs.existsSync(file) ? file : undefined;
}
