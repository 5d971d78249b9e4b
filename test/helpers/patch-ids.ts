import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Where a patch id is used: `src/workflows/outbound-message.ts:87`. */
export interface PatchUse {
  readonly id: string;
  readonly at: string;
  /** `deprecatePatch(id)`: no run of the old shape is left, so none is wanted among the fixtures. */
  readonly deprecated?: boolean;
}

const PATCH_CALLS = new Set(['patched', 'deprecatePatch']);

/**
 * Every patch id the workflow code passes to `patched()` or `deprecatePatch()`, read with the type checker so a
 * constant, or a variable that holds one of several constants (`const cure = closed ? A : B`), counts as its values.
 * A call whose argument is no string literal type is returned in `unreadable`: name the patch with a constant.
 */
export function patchIdsIn(workflowsDir: string, root: string): { uses: PatchUse[]; unreadable: string[] } {
  const files = fs
    .readdirSync(workflowsDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(workflowsDir, f));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  // Only what workflow code may import from the repository (src/workflows, src/domain): a patch id constant can live
  // there. Packages and the activities' types are left unread, which keeps this to a second instead of half a minute.
  const allowed = [workflowsDir, path.join(workflowsDir, '../domain')].map((d) => `${path.resolve(d)}${path.sep}`);
  host.resolveModuleNameLiterals = (literals, containingFile) =>
    literals.map(({ text }) => {
      if (!text.startsWith('.')) return { resolvedModule: undefined };
      const { resolvedModule } = ts.resolveModuleName(text, containingFile, options, host);
      return {
        resolvedModule:
          resolvedModule && allowed.some((d) => resolvedModule.resolvedFileName.startsWith(d))
            ? resolvedModule
            : undefined,
      };
    });
  const program = ts.createProgram(files, options, host);
  const checker = program.getTypeChecker();
  const uses: PatchUse[] = [];
  const unreadable: string[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file)!;
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        PATCH_CALLS.has(node.expression.text) &&
        node.arguments[0]
      ) {
        const at = `${path.relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        const type = checker.getTypeAtLocation(node.arguments[0]);
        const members = type.isUnion() ? type.types : [type];
        const deprecated = node.expression.text === 'deprecatePatch';
        if (members.every((t) => t.isStringLiteral()))
          for (const t of members)
            uses.push({ id: (t as ts.StringLiteralType).value, at, ...(deprecated ? { deprecated } : {}) });
        else unreadable.push(`${at}: ${node.getText(source)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { uses, unreadable };
}

/**
 * What the fixtures lack for the patches in `uses`: for each patch id, a fixture with its marker (a run that took the
 * new branch) and, while it is still `patched()`, one named in `oldShapes` without it (a run from before the patch,
 * which replays the old branch). `markers`: each fixture's patch markers, by fixture name.
 */
export function patchCoverageProblems(
  uses: readonly PatchUse[],
  markers: ReadonlyMap<string, readonly string[]>,
  oldShapes: Readonly<Record<string, readonly string[]>>,
): string[] {
  const problems: string[] = [];
  for (const id of new Set(uses.map((u) => u.id))) {
    const where = uses
      .filter((u) => u.id === id)
      .map((u) => u.at)
      .join(', ');
    if (![...markers.values()].some((m) => m.includes(id))) {
      problems.push(
        `patch "${id}" (${where}): no fixture has its marker; add a scenario that takes its new branch to scripts/histories/scenarios.ts and run \`npm run record-histories\``,
      );
    }
    const old = Object.keys(oldShapes).filter((name) => oldShapes[name]!.includes(id) && markers.has(name));
    const stillPatched = uses.some((u) => u.id === id && !u.deprecated);
    if (old.length === 0 && stillPatched) {
      problems.push(
        `patch "${id}" (${where}): no fixture of the shape from before it; record one on the commit before the patch (a scenario with \`code\` in scripts/histories/scenarios.ts) and name it in OLD_SHAPES`,
      );
    }
    for (const name of old.filter((n) => markers.get(n)!.includes(id)))
      problems.push(`patch "${id}": ${name} is named in OLD_SHAPES as from before it, yet has its marker`);
  }
  for (const name of Object.keys(oldShapes).filter((n) => !markers.has(n)))
    problems.push(`OLD_SHAPES names ${name}, which is not among the fixtures`);
  return problems;
}
