import { packageVersion } from '../package-version.js';
import { Command } from 'commander';
import { accountsCommand } from './accounts.js';
import { channelCommand } from './channel.js';
import { doctorCommand } from './doctor.js';
import { inspectSettings, messagesCommand } from './messages.js';
import { secretsCommand } from './secrets.js';

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

/**
 * `channel-bridge`: one file per command group; this file only wires them. `extend` adds commands of another package
 * (the dev tools' `start` and `demo`), so the bridge itself carries none of the local system.
 */
export function buildProgram(env: NodeJS.ProcessEnv, extend?: (program: Command) => void): Command {
  const program = new Command('channel-bridge')
    .description('Bridge customer messengers and HubSpot Conversations, on Temporal.')
    .version(cliVersion(), '-V, --version', 'print the version');

  program.addCommand(channelCommand(env));
  program.addCommand(secretsCommand());
  program.addCommand(messagesCommand(inspectSettings(env)));
  program.addCommand(accountsCommand());
  program.addCommand(doctorCommand(env));
  extend?.(program);
  throwOnUsageErrors(program);
  return program;
}
