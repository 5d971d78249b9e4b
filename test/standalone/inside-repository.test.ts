import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** What a user's clone holds that the project runs, tests or documents. */
const SCOPE = [
  'packages/',
  'scripts/',
  'test/',
  'docs/',
  'schemas/',
  'examples/',
  '.ci/',
  'README.md',
  'package.json',
  'Dockerfile',
  'docker-compose.yml',
];
/** No file is exempt: not even CI's script may look beside the clone. */
// The folder's name is assembled, so this file names no outside path itself.
const BESIDE = ['..', 'shared'].join('/');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const ALLOWED = new Map<string, RegExp>();
/** Pointers to the developers' workshop beside the repository, which no user has. */
const WORKSHOP = new RegExp(
  `${escape(BESIDE)}\\b|shared/(specs|reference|hooks)\\b|\\breference/(hubspot|providers|temporal)\\.md|(?<!docs/)\\b(ARCHITECTURE|STYLE)\\.md`,
);

function filesInScope(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return listed
    .split('\0')
    .filter((f) => f && SCOPE.some((s) => f === s || f.startsWith(s)) && fs.existsSync(path.join(ROOT, f)))
    .filter((f) => !f.startsWith('test/fixtures/') && !/\.(png|jpe?g|gif|webp|ogg|oga|mp3|mp4|pdf|webm|bin)$/.test(f));
}

const inside = (target: string) => {
  const relative = path.relative(ROOT, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

/** Relative paths the file resolves from its own folder: imports, import.meta-based paths, markdown links. */
function relativeTargets(file: string, text: string): string[] {
  const found: string[] = [];
  // Markdown: its links (code samples in it are written from the project root, not the doc's folder).
  const patterns = file.endsWith('.md')
    ? [/\]\((?!https?:|mailto:|#)([^)\s#]+)[^)]*\)/g]
    : [
        /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]*)['"]/g,
        /(?:import\.meta\.dirname|__dirname)\s*,\s*['"](\.{1,2}[^'"]*)['"]/g,
        /new URL\(\s*['"](\.{1,2}\/[^'"]*)['"]\s*,\s*import\.meta\.url/g,
      ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]!);
  return found;
}

describe('the repository stands alone', () => {
  const files = filesInScope();

  it('finds the files it checks', () => {
    assert.ok(files.length > 300, `only ${files.length} files in scope`);
    assert.ok(files.includes('README.md') && files.includes('packages/sandbox/src/main.ts'));
  });

  it('names no path of the workshop beside it (its specs and reference files)', () => {
    const offenders = files.flatMap((file) =>
      fs
        .readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${file}:${i + 1}` }))
        .filter(({ line }) => WORKSHOP.test(line) && !ALLOWED.get(file)?.test(line))
        .map(({ at, line }) => `${at}: ${line.trim().slice(0, 140)}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('imports, reads and links only paths inside the repository', () => {
    const outside = files.flatMap((file) =>
      relativeTargets(file, fs.readFileSync(path.join(ROOT, file), 'utf8'))
        .filter((target) => !inside(path.resolve(path.dirname(path.join(ROOT, file)), target)))
        .map((target) => `${file}: ${target}`),
    );
    assert.deepEqual(outside, []);
  });

  it('links only documents that exist', () => {
    const broken = files
      .filter((f) => f.endsWith('.md'))
      .flatMap((file) =>
        relativeTargets(file, fs.readFileSync(path.join(ROOT, file), 'utf8'))
          .filter((target) => !fs.existsSync(path.resolve(path.dirname(path.join(ROOT, file)), decodeURI(target))))
          .map((target) => `${file}: ${target}`),
      );
    assert.deepEqual(broken, []);
  });
});
