import type { Command } from 'commander';
import { CliUsageError } from '../../../bridge/src/cli/usage-error.js';
import { demoSend, formatDemoSent } from './demo.js';
import { runStart, startSettings } from './start.js';

/** `start` and `demo`: the local system's commands, added to the bridge's CLI for developers. */
export function localCommands(program: Command, env: NodeJS.ProcessEnv): void {
  program
    .command('start')
    .description('run Temporal, the sandbox, the api and the worker locally; prints the pages to open')
    .option(
      '--fresh',
      "start a new sandbox world: forget the data folder's sandbox state, Temporal history, bridge store and saved secrets (logs stay)",
    )
    .option(
      '--json',
      'progress on stderr; once running, one JSON line on stdout with the URLs, the state file and the logs',
    )
    .action(async (options: { fresh?: boolean; json?: boolean }) => {
      process.exitCode = await runStart({
        ...startSettings(env),
        fresh: options.fresh === true,
        json: options.json === true,
      });
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
}
