/**
 * The workflow code of an earlier commit, bundled for a worker: how `npm run record-histories` records a run of the
 * shape from before a patch (a run that was in flight when the patch was deployed), and how the upgrade test and the
 * chaos deploy scenario run the previous version. Reads git, never changes it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { MessageWorkflowTypes } from '../../packages/bridge/src/domain/workflow-types.js';

/** The workflow code a deploy of the working tree replaces. */
export interface PreviousWorkflowVersion {
  /** The commit whose code is the previous version: the parent of `changedBy`. */
  readonly commit: string;
  /** The newest commit that changed src/workflows/. */
  readonly changedBy: string;
  /** `changedBy`'s subject line, for messages. */
  readonly subject: string;
}

const git = (root: string, args: readonly string[]) =>
  execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Where the workflows lived: the bridge's package since the workspaces, src/ before them. */
const SOURCE_FOLDERS = ['packages/bridge/src', 'src'] as const;
const WORKFLOW_FOLDERS = SOURCE_FOLDERS.map((folder) => `${folder}/workflows/`);

function sourceFolderAt(root: string, commit: string): string {
  for (const folder of SOURCE_FOLDERS) {
    try {
      git(root, ['cat-file', '-e', `${commit}:${folder}/workflows/index.ts`]);
      return folder;
    } catch {
      // Not this layout: try the older one.
    }
  }
  throw new Error(`${commit.slice(0, 12)} has no workflows/index.ts in ${SOURCE_FOLDERS.join(' or ')}`);
}

/**
 * The previous version of the workflow code: as it was just before the newest commit that changed src/workflows/.
 * It moves with the project (after each workflow change, the code before that change), and needs only the history a
 * plain `git clone` has. Returns why not when git or that history is unavailable (no git, a tarball, a shallow clone).
 */
export function previousWorkflowVersion(root: string): PreviousWorkflowVersion | { readonly unavailable: string } {
  try {
    const changedBy = git(root, ['rev-list', '-1', 'HEAD', '--', ...WORKFLOW_FOLDERS]);
    if (!changedBy) return { unavailable: 'git knows no commit that changed the workflows' };
    const parent = git(root, ['rev-list', '--parents', '-n', '1', changedBy]).split(' ')[1];
    if (!parent) return { unavailable: `${changedBy.slice(0, 7)} has no parent in this clone (a shallow clone?)` };
    return { commit: parent, changedBy, subject: git(root, ['log', '-1', '--format=%s', changedBy]) };
  } catch (error) {
    const reason = (error as { stderr?: Buffer | string }).stderr?.toString().trim() || (error as Error).message;
    return { unavailable: `git history is unavailable: ${reason.split('\n')[0]}` };
  }
}

/**
 * Bundles `<commit>:src/workflows/index.ts` as src/temporal/bundle.ts bundles the working tree's; returns the bundle's
 * path (`bundlePath`, or a file under .tmp/).
 */
export async function bundleWorkflowsAt(
  root: string,
  commit: string,
  options: { bundlePath?: string } = {},
): Promise<string> {
  const scratch = path.join(root, '.tmp');
  fs.mkdirSync(scratch, { recursive: true });
  // Inside the repository, so the bundler resolves @temporalio/workflow from its node_modules.
  const dir = fs.mkdtempSync(path.join(scratch, `code-at-${commit.slice(0, 12)}-`));
  try {
    const source = sourceFolderAt(root, commit);
    const tar = execFileSync('git', ['-C', root, 'archive', '--format=tar', commit, source], { maxBuffer: 256 << 20 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    const { code } = await bundleWorkflowCode({
      workflowsPath: path.join(dir, source, 'workflows/index.ts'),
      logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
      webpackConfigHook: (config) => ({
        ...config,
        resolve: { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } },
      }),
    });
    const bundlePath = options.bundlePath ?? path.join(scratch, `record-bundle-${commit}-${process.pid}.js`);
    fs.writeFileSync(bundlePath, code);
    return bundlePath;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The workflow types `commit`'s api started messages as: those in its domain/workflow-types.ts, or the first types'
 * names from before that file existed (or before it named the outbound one).
 */
export function workflowTypesAt(root: string, commit: string): MessageWorkflowTypes {
  let source = '';
  try {
    source = git(root, ['show', `${commit}:${sourceFolderAt(root, commit)}/domain/workflow-types.ts`]);
  } catch {
    // Before the file: the first types.
  }
  const named = (constant: string) => new RegExp(`export const ${constant} = '([^']+)'`).exec(source)?.[1];
  return {
    inbound: named('INBOUND_WORKFLOW_TYPE') ?? 'inboundMessageWorkflow',
    outbound: named('OUTBOUND_WORKFLOW_TYPE') ?? 'outboundMessageWorkflow',
  };
}
