import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command, CommanderError } from 'commander';
import { buildProgram } from '../../packages/bridge/src/cli/program.js';
import { tempStore } from '../helpers/bridge.js';
import { temporalAddress } from '../helpers/temporal.js';
import { cli, startAdminApi } from './support/cli.js';

/**
 * docs/OPERATING.md true to the letter: every `channel-bridge …` line of its code blocks, and every inline span that
 * names a command or a flag, is read from the document itself, checked against the command tree the CLI builds, and
 * the read-only ones are run for real against an api and the suite's Temporal.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const doc = fs.readFileSync(path.join(ROOT, 'docs/OPERATING.md'), 'utf8');
const TOKEN = 'admin-token-for-operating-doc-0123';

const program = buildProgram({});
const topNames = new Set(program.commands.map((c) => c.name()));
const tokens = (text: string) => (text.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((t) => t.replace(/^["']|["']$/g, ''));

/**
 * `channel-bridge …` lines of the code blocks, without what precedes the command (env, docker) or a trailing comment.
 */
const blockInvocations = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((m) => m[1]!.split('\n'))
  .filter((line) => /(^|\s)channel-bridge(\s|$)/.test(line))
  .map((line) =>
    line
      .slice(line.indexOf('channel-bridge') + 'channel-bridge'.length)
      .replace(/\s+#.*$/, '')
      .trim(),
  );

/**
 * Inline spans that begin with a command name (`start --json`, `channel register|show|update`), alternatives expanded.
 */
const inlineSpans = [...doc.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!.replace(/^channel-bridge\s*/, ''));
const inlineInvocations = inlineSpans
  .filter((span) => topNames.has(span.split(/\s/)[0]!))
  .flatMap((span) => {
    const [first, second, ...rest] = tokens(span);
    return (second ?? '').split('|').map((alt) => [first, alt, ...rest].filter(Boolean).join(' '));
  });
const inlineFlags = [...new Set(inlineSpans.filter((s) => s.startsWith('--')).map((s) => s.split(/[\s=]/)[0]!))];

interface Resolved {
  readonly command: Command;
  readonly path: string[];
  readonly positional: string[];
  readonly flags: string[];
}

/** Walks the words through the command tree, as commander would. */
function resolve(invocation: string): Resolved {
  let command = program;
  const words = tokens(invocation);
  const commandPath: string[] = [];
  while (words.length && command.commands.some((c) => c.name() === words[0])) {
    command = command.commands.find((c) => c.name() === words[0])!;
    commandPath.push(words.shift()!);
  }
  const flags: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('-')) {
      positional.push(word);
      continue;
    }
    flags.push(word);
    const option = command.options.find((o) => o.long === word || o.short === word);
    if (option && (option.required || option.optional)) i++; // its value
  }
  return { command, path: commandPath, positional, flags };
}

const known = (command: Command, flag: string) =>
  flag === '--help' || flag === '-h' || command.options.some((o) => o.long === flag || o.short === flag);
const leaves = (command: Command): Command[] =>
  command.commands.length ? command.commands.flatMap(leaves) : [command];
const allCommands = (command: Command): Command[] => [command, ...command.commands.flatMap(allCommands)];
const named = (command: Command): string =>
  command.parent ? `${named(command.parent)} ${command.name()}` : command.name();

describe('docs/OPERATING.md, to the letter', { timeout: 240_000 }, () => {
  const invocations = [...new Set([...blockInvocations, ...inlineInvocations])];

  it('documents commands (read from the document, not listed here)', () => {
    assert.ok(blockInvocations.length >= 15, blockInvocations.join('\n'));
    assert.ok(inlineFlags.includes('--json') && inlineFlags.includes('--api-url'), inlineFlags.join(' '));
  });

  it('names only commands the CLI has, with flags they take and the arguments they need', () => {
    for (const invocation of invocations) {
      const { command, positional, flags } = resolve(invocation);
      const where = `"channel-bridge ${invocation}" (${named(command)})`;
      const unknownFlags = flags.filter((f) => !known(command, f));
      assert.deepEqual(unknownFlags, [], `${where}: no such flag`);
      if (flags.includes('--help') || flags.includes('--version')) continue;
      if (command.commands.length) {
        // A group: the document may name it in prose (`messages`), but a code line must name a command.
        assert.ok(!blockInvocations.includes(invocation), `${where} names a group, not a command`);
        continue;
      }
      const declared = command.registeredArguments;
      const required = declared.filter((a) => a.required).length;
      const variadic = declared.some((a) => a.variadic);
      // Inline prose may leave the argument out (`messages show`); a code line must be complete.
      if (blockInvocations.includes(invocation)) assert.ok(positional.length >= required, `${where}: missing argument`);
      assert.ok(
        variadic || positional.length <= declared.length,
        `${where}: too many arguments (${positional.join(' ')})`,
      );
      for (const flag of flags)
        assert.ok(command.helpInformation().includes(flag), `${where}: --help does not list ${flag}`);
    }
  });

  it('names only flags some command takes', () => {
    const everyFlag = new Set(allCommands(program).flatMap((c) => c.options.map((o) => o.long)));
    assert.deepEqual(
      inlineFlags.filter((f) => !everyFlag.has(f) && f !== '--help'),
      [],
    );
  });

  it('has --json and --help on every command, as it says', () => {
    assert.deepEqual(
      leaves(program)
        .filter((c) => !known(c, '--json'))
        .map(named),
      [],
    );
  });

  it('refuses an unknown flag on every command as a usage error, not by exiting itself', async () => {
    for (const command of allCommands(program)) {
      const args = named(command).split(' ').slice(1);
      const fresh = buildProgram({});
      fresh.configureOutput({ writeErr: () => {}, writeOut: () => {} });
      for (const c of allCommands(fresh)) c.configureOutput({ writeErr: () => {}, writeOut: () => {} });
      await assert.rejects(
        fresh.parseAsync(['node', 'channel-bridge', ...args, '--no-such-flag']),
        (error: unknown) => error instanceof CommanderError && error.exitCode !== 0,
        named(command),
      );
    }
  });

  it('exits 2 for usage errors and prints the version, from the real command', async () => {
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
      .version;
    const [printed, unknownCommand, missingArgument, unknownFlag] = await Promise.all([
      cli(['--version']),
      cli(['no-such-command']),
      cli(['messages', 'show']),
      cli(['doctor', '--no-such-flag']),
    ]);
    assert.deepEqual([printed.code, printed.stdout.trim()], [0, version]);
    assert.deepEqual(
      [unknownCommand.code, missingArgument.code, unknownFlag.code],
      [2, 2, 2],
      unknownCommand.stderr + missingArgument.stderr + unknownFlag.stderr,
    );
    assert.match(unknownCommand.stderr, /unknown command 'no-such-command'/);
  });

  describe('the read-only commands, run as written', () => {
    let api: Awaited<ReturnType<typeof startAdminApi>>;
    before(async () => {
      api = await startAdminApi(tempStore().store, TOKEN);
    });
    after(() => api?.close());

    const runnable = blockInvocations.filter((line) =>
      /^(messages (show|list|dead-letters (list|show))|accounts (list|show))\b|^--version$|--help$/.test(line),
    );

    it('runs each of them: found (0) or not found (3), never a usage error or a failure', async () => {
      assert.ok(runnable.length >= 8, runnable.join('\n'));
      const env = { TEMPORAL_ADDRESS: temporalAddress(), BRIDGE_ADMIN_TOKEN: TOKEN, BRIDGE_PUBLIC_URL: api.url };
      for (const line of runnable) {
        const run = await cli(tokens(line), env);
        assert.ok(run.code === 0 || run.code === 3, `channel-bridge ${line}: exit ${run.code}\n${run.stderr}`);
        if (run.code === 0 && line.includes('--json')) assert.doesNotThrow(() => JSON.parse(run.stdout), line);
      }
    });
  });
});
