import { packageVersion } from '../package-version.js';
import { Command } from 'commander';
import { accountsCommand } from './accounts.js';
import { channelCommand } from './channel.js';
import { demoSend, formatDemoSent } from './demo.js';
import { doctorCommand } from './doctor.js';
import { inspectSettings, messagesCommand } from './messages.js';
import { secretsCommand } from './secrets.js';
import { runStart, startSettings } from './start.js';
import { CliUsageError } from './usage-error.js';

/** The version in the repository's package.json (the CLI runs from source: there is no build to stamp it). */
export function cliVersion(): string {
  return packageVersion();
}

/**
 * Commander exits 1 on its own for an unknown command or flag or a missing argument; the CLI promises 2 for those
 * (docs/OPERATING.md). With the override it throws a CommanderError instead, which index.ts turns into the exit code.
 * Set on every command: subcommands added with addCommand do not inherit it.
 */
function throwOnUsageErrors(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) throwOnUsageErrors(sub);
}

/** `channel-bridge`: one file per command group; this file only wires them. */
export function buildProgram(env: NodeJS.ProcessEnv): Command {
  const program = new Command('channel-bridge').description('Bridge customer messengers and HubSpot Conversations, on Temporal.').version(cliVersion(), '-V, --version', 'print the version');

  program
    .command('start')
    .description('run Temporal, the sandbox, the api and the worker locally; prints the pages to open')
    .option('--fresh', "start a new sandbox world: forget the data folder's sandbox state, Temporal history, bridge store and saved secrets (logs stay)")
    .option('--json', 'progress on stderr; once running, one JSON line on stdout with the URLs, the state file and the logs')
    .action(async (options: { fresh?: boolean; json?: boolean }) => {
      process.exitCode = await runStart({ ...startSettings(env), fresh: options.fresh === true, json: options.json === true });
    });

  const demo = program.command('demo').description('act as a customer against the running local system');
  demo
    .command('send')
    .argument('<text>', 'the message text')
    .option('--thread <key>', 'conversation (thread) key', 'demo-customer')
    .option('--from <name>', "the customer's name", 'Demo Customer')
    .option('--json', 'print {messageId, inbox} instead of a sentence')
    .description('send a signed generic webhook as a customer')
    .action(async (text: string, options: { thread: string; from: string; json?: boolean }) => {
      if (text.trim() === '') throw new CliUsageError('the message text is empty');
      const sent = await demoSend(text, { ...options, dataDir: startSettings(env).dataDir });
      process.stdout.write(`${options.json ? JSON.stringify(sent, null, 2) : formatDemoSent(sent)}\n`);
    });

  program.addCommand(channelCommand(env));
  program.addCommand(secretsCommand());
  program.addCommand(messagesCommand(inspectSettings(env)));
  program.addCommand(accountsCommand());
  program.addCommand(doctorCommand(env));
  throwOnUsageErrors(program);
  return program;
}
