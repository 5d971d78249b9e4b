import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { importGraph } from './import-graph.js';
import { ROOT } from './built-app.js';

const manifest = (folder: string) =>
  JSON.parse(fs.readFileSync(path.join(ROOT, folder, 'package.json'), 'utf8')) as {
    name: string;
    workspaces?: string[];
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
const BRIDGE = manifest('packages/bridge');
const SANDBOX = manifest('packages/sandbox');
const DEV_TOOLS = manifest('packages/dev-tools');

/**
 * The packages npm would install for the bridge alone in production (`npm install --omit=dev --workspace
 * channel-bridge`).
 */
function productionTree(): string[] {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--workspace', BRIDGE.name, '--all', '--parseable'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out
    .split('\n')
    .filter(Boolean)
    .map((p) => path.relative(ROOT, fs.realpathSync(p)));
}

describe('the workspaces: the bridge, its sandbox and the dev tools are separate packages', () => {
  it('the root names the three packages and depends on none at run time', () => {
    assert.deepEqual(manifest('.').workspaces, ['packages/bridge', 'packages/sandbox', 'packages/dev-tools']);
    assert.equal(
      manifest('.').dependencies,
      undefined,
      'the root only carries the tools that develop and test the packages',
    );
  });

  it("the bridge's production install holds nothing of the sandbox or the dev tools", () => {
    for (const other of [SANDBOX.name, DEV_TOOLS.name])
      assert.ok(!(other in (BRIDGE.dependencies ?? {})), `the bridge depends on ${other}`);
    const tree = productionTree();
    assert.ok(
      tree.includes('packages/bridge') && tree.some((p) => p.endsWith(path.join('node_modules', 'express'))),
      `npm ls found the bridge's tree: ${tree.slice(0, 5).join(', ')}`,
    );
    const foreign = tree.filter((p) => p.startsWith('packages/') && p !== 'packages/bridge');
    assert.deepEqual(foreign, [], 'no workspace but the bridge in its production tree');
    // What only the sandbox and the dev tools use (a multipart parser, Standard Webhooks, histograms) stays out.
    for (const name of ['busboy', 'standardwebhooks', 'hdr-histogram-js'])
      assert.ok(
        !tree.some((p) => p.endsWith(path.join('node_modules', name))),
        `${name} is in the bridge's production tree`,
      );
  });

  it("the bridge's entrypoints import nothing outside its package, and only packages it declares", () => {
    const src = path.join(ROOT, 'packages/bridge/src');
    const entrypoints = ['server.ts', 'worker.ts', 'cli/index.ts', 'workflows/index.ts'].map((f) => path.join(src, f));
    const { files, packages } = importGraph(entrypoints, { fromSource: true });
    const outside = [...files].filter((f) => !f.startsWith(`${path.join(ROOT, 'packages/bridge')}${path.sep}`));
    assert.deepEqual(outside, [], 'files the bridge imports from other packages');
    assert.ok(files.size > 200, `the graph was followed (${files.size} files)`);
    const undeclared = [...packages.keys()].filter((name) => !(name in (BRIDGE.dependencies ?? {})) && name !== 'tsx');
    assert.deepEqual(undeclared, [], 'packages the bridge imports without declaring them in its package.json');
  });

  it('the sandbox declares what it imports and reaches the bridge only through its published generic-connector contract', () => {
    const src = path.join(ROOT, 'packages/sandbox/src');
    const { files, packages } = importGraph([path.join(src, 'main.ts'), path.join(src, 'generic/main.ts')], {
      fromSource: true,
    });
    const sandboxFiles = [...files].filter((f) => f.startsWith(`${src}${path.sep}`));
    const intoBridge = sandboxFiles.flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/from\s*['"](\.{1,2}\/[^'"]+)['"]/g)]
        .map((m) => path.relative(ROOT, path.resolve(path.dirname(file), m[1]!)))
        .filter((target) => !target.startsWith('packages/sandbox/'))
        .map((target) => `${path.relative(ROOT, file)} → ${target}`),
    );
    assert.ok(intoBridge.length > 0, 'the generic emulator speaks the published contract');
    for (const edge of intoBridge)
      assert.match(edge, / → packages\/bridge\/src\/providers\/generic\/published-contract\.js$/, edge);
    const undeclared = [...packages].filter(
      ([name, from]) => from.startsWith(`${src}${path.sep}`) && !(name in (SANDBOX.dependencies ?? {})),
    );
    assert.deepEqual(undeclared, []);
    assert.ok(
      BRIDGE.name in (SANDBOX.dependencies ?? {}),
      'the sandbox declares the bridge, whose published contract it imports',
    );
  });
});
