/**
 * The import rules of eslint.config.js can fail: each layer rule is run on a small made-up file placed in the
 * real tree (the imports resolve against the real files), once with an import it must refuse and once with one
 * it must let through. Also keeps the temporary list of known layer violations honest.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LAYER_RULES = ['@typescript-eslint/no-restricted-imports', 'import-x/no-restricted-paths'];

let eslint: ESLint;
before(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** The layer-rule messages for `code` as if it were the file at `file` (relative to the repository). */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId && LAYER_RULES.includes(m.ruleId)).map((m) => m.message);
}

describe('workflow code imports only workflow-safe modules', () => {
  const file = 'packages/bridge/src/workflows/lint-probe.ts';

  it('refuses a Node built-in, a Temporal package made for Node, and activity code', async () => {
    assert.equal((await layerErrors(file, "import fs from 'node:fs'; void fs;")).length, 1);
    assert.equal((await layerErrors(file, "import { Worker } from '@temporalio/worker'; void Worker;")).length, 1);
    assert.equal(
      (await layerErrors(file, "import { createActivities } from '../activities/index.js'; void createActivities;"))
        .length,
      1,
    );
  });

  it('lets through its own folder, src/domain, the workflow packages and type-only imports', async () => {
    const code = [
      "import { proxyActivities } from '@temporalio/workflow';",
      "import { ApplicationFailure } from '@temporalio/common';",
      "import { inboundWorkflowId } from '../domain/ids.js';",
      "import { inboundMessage } from './inbound-message.js';",
      "import type { BridgeActivities } from '../activities/index.js';",
      'void [proxyActivities, ApplicationFailure, inboundWorkflowId, inboundMessage];',
      'export type Probe = BridgeActivities;',
    ].join('\n');
    assert.deepEqual(await layerErrors(file, code), []);
  });
});

describe('the core never names the sandbox or a provider folder', () => {
  it('refuses the sandbox and each provider folder from core code', async () => {
    for (const imported of [
      '../../../sandbox/src/main.js',
      '../../../dev-tools/src/local/system.js',
      '../providers/telegram/api.js',
      '../providers/generic/verify.js',
      '../providers/whatsapp/limits.js',
    ]) {
      assert.equal(
        (await layerErrors('packages/bridge/src/api/lint-probe.ts', `import '${imported}';`)).length,
        1,
        imported,
      );
    }
  });

  it('refuses a provider folder from a top-level providers file other than the registry', async () => {
    assert.equal(
      (await layerErrors('packages/bridge/src/providers/lint-probe.ts', "import './telegram/index.js';")).length,
      1,
    );
    assert.deepEqual(
      await layerErrors('packages/bridge/src/providers/registry.ts', "import './telegram/index.js';"),
      [],
    );
  });

  it('lets the core use the registry and the shared provider contract', async () => {
    assert.deepEqual(
      await layerErrors(
        'packages/bridge/src/api/lint-probe.ts',
        "import '../providers/registry.js'; import '../providers/types.js';",
      ),
      [],
    );
  });

  it('lets the local runner, scripts and tests name them', async () => {
    for (const file of ['packages/dev-tools/src/local/lint-probe.ts', 'scripts/lint-probe.ts', 'test/lint-probe.ts']) {
      const imported = path.relative(
        path.dirname(path.join(ROOT, file)),
        path.join(ROOT, 'packages/sandbox/src/main.js'),
      );
      assert.deepEqual(await layerErrors(file, `import '${imported}';`), [], file);
    }
  });
});

describe("the sandbox imports only itself and the bridge's public contract, never the dev tools", () => {
  const file = 'packages/sandbox/src/lint-probe.ts';

  it('refuses the bridge internals', async () => {
    for (const imported of [
      '../../bridge/src/api/app.js',
      '../../bridge/src/domain/ids.js',
      '../../bridge/src/domain/messages.js',
      '../../bridge/src/providers/generic/send.js',
      '../../bridge/src/providers/generic/wire-types.js',
      '../../bridge/src/providers/telegram/api.js',
      '../../dev-tools/src/local/system.js',
    ]) {
      assert.equal((await layerErrors(file, `import '${imported}';`)).length, 1, imported);
    }
  });

  it('lets through its own files and the public contract', async () => {
    const code = ["import './main.js';", "import '../../bridge/src/providers/generic/published-contract.js';"].join(
      '\n',
    );
    assert.deepEqual(await layerErrors(file, code), []);
  });
});

describe('the temporary list of known layer violations', () => {
  it('names only imports that still exist, so it shrinks as they are fixed', async () => {
    const { KNOWN_LAYER_VIOLATIONS } = (await import(path.join(ROOT, 'eslint.config.js'))) as {
      KNOWN_LAYER_VIOLATIONS: [string, string][];
    };
    const stale = KNOWN_LAYER_VIOLATIONS.filter(([file, imported]) => {
      const importer = path.join(ROOT, file);
      if (!fs.existsSync(importer)) return true;
      const specifier = path.relative(path.dirname(importer), path.join(ROOT, imported)).replace(/\.ts$/, '.js');
      return !fs
        .readFileSync(importer, 'utf8')
        .includes(`'${specifier.startsWith('.') ? specifier : `./${specifier}`}'`);
    });
    assert.deepEqual(stale, [], 'remove these entries from KNOWN_LAYER_VIOLATIONS in eslint.config.js');
  });
});
