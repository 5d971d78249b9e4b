import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

/** `import … from 'x'`, `export … from 'x'`, `import 'x'` and `import('x')` in tsc's ESM output. */
const SPECIFIERS = [
  /^\s*(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** TypeScript sources import each other by their emitted names (`./x.js` for `./x.ts`). */
function resolveRelative(target: string, fromSource: boolean): string {
  if (fromSource && target.endsWith('.js') && !fs.existsSync(target)) return `${target.slice(0, -3)}.ts`;
  return target;
}

/**
 * Every module reachable from the entrypoints through static and literal dynamic imports, and the packages they
 * import, with the first file that imports each (node: built-ins left out). `fromSource` follows TypeScript sources
 * instead of tsc's output.
 */
export function importGraph(
  entrypoints: readonly string[],
  options: { fromSource?: boolean } = {},
): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const pending = [...entrypoints];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const pattern of SPECIFIERS) {
      for (const [, specifier] of text.matchAll(pattern)) {
        if (specifier!.startsWith('.'))
          pending.push(resolveRelative(path.resolve(path.dirname(file), specifier!), options.fromSource === true));
        else if (!specifier!.startsWith('node:') && !builtinModules.includes(specifier!)) {
          const name = packageOf(specifier!);
          if (!packages.has(name)) packages.set(name, file);
        }
      }
    }
  }
  return { files, packages };
}
