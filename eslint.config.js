// @ts-check
/**
 * ESLint for channel-bridge (`npm run lint`, and a step of `npm test`): typescript-eslint's recommended rules
 * without type information (fast: the whole tree in well under a minute on two cores), tuned to the project's
 * style (docs/DEVELOPING.md § Lint and format), plus the import rules that keep the layers apart.
 *
 * The layer rules read only the tables just below: when folders move (npm workspaces), update the tables.
 */
import fs from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------------------------
// LAYERS: every path is relative to this file's folder.
// ---------------------------------------------------------------------------------------------------------------
const LAYERS = {
  /** All of the bridge's code; the sandbox reaches into it only through SANDBOX_MAY_IMPORT. */
  bridge: 'packages/bridge/src',
  /** Replayed by Temporal inside its workflow sandbox: deterministic code only. */
  workflows: 'packages/bridge/src/workflows',
  /** The provider contract and registry; each subfolder is one provider's connector, named only by the registry. */
  providers: 'packages/bridge/src/providers',
  providerRegistry: 'packages/bridge/src/providers/registry.ts',
  /** Local emulators of HubSpot and the providers: their own package, never imported by the bridge. */
  sandbox: 'packages/sandbox/src',
  /** The local system, bench and chaos: their own package, never imported by the bridge or the sandbox. */
  devTools: 'packages/dev-tools',
};

/**
 * What workflow code may import at run time. Type-only imports (`import type`) are erased before bundling, so they
 * are allowed from anywhere (docs/DEVELOPING.md § Conventions: *types* from src/activities/).
 * Specifiers, as written in src/workflows/*.ts: the same folder, src/domain, and two Temporal packages.
 */
const WORKFLOW_SAFE_IMPORTS = {
  relative: ['./', '../domain/'],
  packages: ['@temporalio/workflow', '@temporalio/common'],
};

/** Folders and files outside "the core": they may name the sandbox and provider folders. */
const OUTSIDE_CORE = ['packages/bridge/src/providers', 'packages/sandbox', 'packages/dev-tools', 'scripts', 'test'];

/**
 * The bridge's public contract for the sandbox: the generic connector's published wire format and checks, and the
 * canonical message types. The sandbox may import these files of the bridge and nothing else of it.
 */
export const SANDBOX_MAY_IMPORT = ['packages/bridge/src/providers/generic/published-contract.ts'];

/**
 * TEMPORARY: core files that still import a provider folder or the sandbox by name, while provider knowledge moves
 * out of the core. Each entry is `[importing file, imported file]`. The lead empties this list; do not add to it.
 */
/** @type {string[][]} */
export const KNOWN_LAYER_VIOLATIONS = [];

// ---------------------------------------------------------------------------------------------------------------

const ROOT = import.meta.dirname;
/** Every subfolder of src/providers, so a new provider is covered without editing this file. */
const PROVIDER_FOLDERS = fs
  .readdirSync(path.join(ROOT, LAYERS.providers), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => `${LAYERS.providers}/${entry.name}`);
const PROVIDER_OR_SANDBOX = [...PROVIDER_FOLDERS, LAYERS.sandbox, LAYERS.devTools];
const CORE_FILES = [`${LAYERS.bridge}/**/*.{ts,js}`];
const CORE_IGNORES = OUTSIDE_CORE.filter((dir) => dir.startsWith(`${LAYERS.bridge}/`)).map((dir) => `${dir}/**`);

/** One zone per folder, so a temporary exception names a file inside that folder (`except` is relative to `from`). */
function coreZones(exceptions = []) {
  return PROVIDER_OR_SANDBOX.map((from) => ({
    target: `./${LAYERS.bridge}`,
    from: `./${from}`,
    except: exceptions
      .filter((imported) => imported.startsWith(`${from}/`))
      .map((imported) => `./${imported.slice(from.length + 1)}`),
    message: 'The core never names the sandbox or a provider folder: go through src/providers/registry.ts.',
  }));
}

const layerRules = [
  {
    name: 'layers/workflows',
    files: [`${LAYERS.workflows}/**/*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: workflowUnsafeImport(),
              allowTypeImports: true,
              message:
                "Workflow code runs in Temporal's deterministic sandbox: import only src/workflows, src/domain, @temporalio/workflow and @temporalio/common (types from anywhere, with `import type`).",
            },
          ],
        },
      ],
    },
  },
  {
    name: 'layers/core',
    files: CORE_FILES,
    ignores: CORE_IGNORES,
    rules: { 'import-x/no-restricted-paths': ['error', { basePath: ROOT, zones: coreZones() }] },
  },
  {
    name: 'layers/provider-registry',
    files: [`${LAYERS.providers}/*.ts`],
    ignores: [LAYERS.providerRegistry],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: ROOT,
          zones: PROVIDER_FOLDERS.map((from) => ({
            target: `./${LAYERS.providers}`,
            from: `./${from}`,
            message: 'Only src/providers/registry.ts names the provider folders.',
          })),
        },
      ],
    },
  },
  {
    name: 'layers/sandbox',
    files: [`${LAYERS.sandbox}/**/*.{ts,js}`],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: ROOT,
          zones: [
            {
              target: `./${LAYERS.sandbox}`,
              from: `./${LAYERS.bridge}`,
              // `except` is relative to `from`.
              except: SANDBOX_MAY_IMPORT.map((file) => `./${path.posix.relative(LAYERS.bridge, file)}`),
              message:
                "The sandbox imports only itself and the bridge's public contract (SANDBOX_MAY_IMPORT in eslint.config.js).",
            },
            {
              target: `./${LAYERS.sandbox}`,
              from: `./${LAYERS.devTools}`,
              message: 'The sandbox never imports the dev tools: they start it, not the other way round.',
            },
          ],
        },
      ],
    },
  },
  // The temporary exceptions, file by file: the same zones, with that file's imports let through.
  ...groupByFile(KNOWN_LAYER_VIOLATIONS).map(([file, imported]) => ({
    name: `layers/known-violation:${file}`,
    files: [file],
    rules: { 'import-x/no-restricted-paths': ['error', { basePath: ROOT, zones: coreZones(imported) }] },
  })),
];

/** A specifier that starts with none of the safe prefixes and names none of the safe packages (or their subpaths). */
function workflowUnsafeImport() {
  const safe = [
    ...WORKFLOW_SAFE_IMPORTS.relative.map(escapeRegex),
    ...WORKFLOW_SAFE_IMPORTS.packages.map((name) => `${escapeRegex(name)}(/|$)`),
  ];
  return `^(?!(${safe.join('|')}))`;
}

function escapeRegex(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** @param {string[][]} pairs */
function groupByFile(pairs) {
  const byFile = new Map();
  for (const [file, imported] of pairs) byFile.set(file, [...(byFile.get(file) ?? []), imported]);
  return [...byFile.entries()];
}

export default tseslint.config(
  {
    name: 'ignores',
    // Generated, recorded or third-party: never linted.
    ignores: [
      'node_modules/',
      'dist/',
      'packages/*/dist/',
      '.tmp/',
      '.tools/',
      '.data/',
      'test/fixtures/',
      'docs/bench/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    name: 'project',
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
    },
    plugins: { 'import-x': importX },
    settings: {
      // Source files import each other as `./x.js` (NodeNext); the file on disk is `x.ts`.
      'import-x/resolver-next': [
        importX.createNodeResolver({
          extensions: ['.ts', '.js', '.mjs', '.json'],
          extensionAlias: { '.js': ['.ts', '.js'] },
        }),
      ],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter or binding kept on purpose: Express's four-argument error handlers, rest
      // destructuring that drops a field (`const { secret: _secret, ...rest } = x`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // `==` only against null (it covers undefined too, on purpose); anything else is a likely bug.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Throw Error objects: a thrown string has no stack and fails the `instanceof` guards.
      'no-throw-literal': 'error',
      // Two import lines for one module (auto-fixed into one).
      'import-x/no-duplicates': 'error',
      // Off: the sanitisers and log-safe printers match control characters on purpose (`/[\x00-\x1f]/`).
      'no-control-regex': 'off',
      // A `let` read by a closure before its one assignment (a probe created before the worker it reports on) is late
      // binding, not a missed `const`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Prettier keeps code within 120 columns but leaves comments alone: this holds them to it too. A long string,
      // template, pattern or URL may run over, as splitting it would only hide what it says.
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
  {
    name: 'contract-tests',
    // Kept as written, like their signed fixtures (.prettierignore): Prettier never wraps them.
    files: ['test/contract/**'],
    rules: { 'max-len': 'off' },
  },
  {
    name: 'node-scripts',
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    name: 'sandbox-browser-assets',
    // Served to the sandbox inbox's page as they are: browser globals, no Node.
    files: [`${LAYERS.sandbox}/**/assets/**/*.js`],
    languageOptions: { globals: globals.browser },
  },
  ...layerRules,
);
