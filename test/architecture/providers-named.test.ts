/**
 * "A provider is one folder": the core names no provider. Every .ts file under src/ outside the provider folders and
 * the
 * dev tools must get by with the registry (src/providers/registry.ts) and the module hooks. A name is a registered
 * module's kind or display name, in any case and as part of an identifier (`telegramApiBaseUrl`, `OUTBOUND_TELEGRAM_…`,
 * `isTelegram`), plus the providers being written; the generic provider's kind is a common English word, so only its
 * quoted, path and prefix forms count (`'generic'`, `"generic"`, `/generic/`, `generic:`).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { providerModules } from '../../packages/bridge/src/providers/registry.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The bridge's package is the core, but for its provider folders; the sandbox and the dev tools are other packages. */
const EXEMPT = [/^packages\/bridge\/src\/providers\//];
/** Providers not registered yet whose names must not creep in meanwhile. */
const COMING: readonly string[] = [];
/** The generic provider's kind is an English word: only these forms name the provider. */
const WORD_KINDS = new Set(['generic']);

/**
 * Files that still name a provider, each with why and who fixes it. The test fails when one of them no longer does, so
 * the list only shrinks.
 */
const KNOWN: Readonly<Record<string, string>> = {};

/**
 * Any case, also inside an identifier: `telegram`, `Telegram`, `TELEGRAM_`, `isTelegram`, `whatsAppMedia`; not
 * `telegrams`.
 */
function identifierPattern(name: string): RegExp {
  const letters = [...name.replace(/\s+/g, ' ')];
  const first = letters[0]!;
  const rest = letters
    .slice(1)
    .map((c) =>
      c === ' '
        ? '\\s+'
        : /[a-z]/i.test(c)
          ? `[${c.toLowerCase()}${c.toUpperCase()}]`
          : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    );
  const start = `(?:(?<![A-Za-z0-9])[${first.toLowerCase()}${first.toUpperCase()}]|(?<=[a-z0-9])${first.toUpperCase()})`;
  return new RegExp(`${start}${rest.join('')}(?![a-z])`, 'g');
}

const wordKindPattern = (kind: string) => new RegExp(`'${kind}'|"${kind}"|/${kind}/|\\b${kind}:`, 'gi');

function patterns(): { readonly name: string; readonly pattern: RegExp }[] {
  const found: { name: string; pattern: RegExp }[] = [];
  for (const module of providerModules()) {
    if (WORD_KINDS.has(module.kind)) {
      found.push({ name: module.kind, pattern: wordKindPattern(module.kind) });
      continue; // its display name ("the connector") is common words too
    }
    found.push({ name: module.kind, pattern: identifierPattern(module.kind) });
    if (module.displayName.toLowerCase() !== module.kind)
      found.push({ name: module.displayName, pattern: identifierPattern(module.displayName) });
  }
  for (const name of COMING)
    if (!found.some((f) => f.name === name)) found.push({ name, pattern: identifierPattern(name) });
  return found;
}

function coreFiles(dir = 'packages/bridge/src'): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return coreFiles(rel);
    return entry.name.endsWith('.ts') && !EXEMPT.some((re) => re.test(rel)) ? [rel] : [];
  });
}

/** Each core file that names a provider, with the lines that do. */
function namingFiles(): Map<string, string[]> {
  const named = new Map<string, string[]>();
  const all = patterns();
  for (const file of coreFiles()) {
    const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
    const hits = lines.flatMap((line, i) =>
      all.some(({ pattern }) => line.match(pattern)) ? [`${i + 1}: ${line.trim().slice(0, 140)}`] : [],
    );
    if (hits.length) named.set(file, hits);
  }
  return named;
}

describe('a provider is one folder', () => {
  it('finds each registered provider by its kind and display name, in the forms the core would use', () => {
    const all = patterns();
    const names = (text: string) => all.filter(({ pattern }) => text.match(pattern)).map(({ name }) => name);
    assert.deepEqual(names('config.providers.telegramApiBaseUrl'), ['telegram']);
    assert.deepEqual(names('OUTBOUND_WHATSAPP_PER_SECOND'), ['whatsapp']);
    assert.deepEqual(names("if (isTwilio(account)) return 'generic';").sort(), ['generic', 'twilio']);
    assert.deepEqual(names('a generic sender, generically, telegrams'), []);
  });

  it('names no provider in the core, outside the provider folders and the dev tools', () => {
    const named = namingFiles();
    const unexpected = [...named]
      .filter(([file]) => !(file in KNOWN))
      .map(([file, hits]) => `${file}\n    ${hits.join('\n    ')}`);
    assert.deepEqual(
      unexpected,
      [],
      `these core files name a provider; move the code into src/providers/<name>/ or reword:\n${unexpected.join('\n')}`,
    );
  });

  it('keeps its list of known exceptions honest: each still names a provider', () => {
    const named = namingFiles();
    assert.deepEqual(
      Object.keys(KNOWN).filter((file) => !named.has(file)),
      [],
    );
  });
});
