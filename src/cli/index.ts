import { Command, InvalidArgumentError } from 'commander';
import { withDotEnv } from '../config-dotenv.js';
import { createRedactor, secretsOf } from '../doctor/redact.js';
import { channelCommand } from './channel.js';
import { demoSend } from './demo.js';
import { doctorCommand } from './doctor.js';
import { inspectSettings, messagesCommand } from './messages.js';
import { secretsCommand } from './secrets.js';
import { runStart, startSettings } from './start.js';

// Every command reads `.env` under the environment, as the api and the worker do (src/config-dotenv.ts).
try {
  for (const [name, value] of Object.entries(withDotEnv(process.env))) process.env[name] ??= value;
} catch (error) {
  process.stderr.write(`channel-bridge: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}

/** `channel-bridge`: one file per command group; this file only wires them. */
const program = new Command('channel-bridge').description('Bridge customer messengers and HubSpot Conversations, on Temporal.');

program
  .command('start')
  .description('run Temporal, the sandbox, the api and the worker locally; prints the pages to open')
  .option('--fresh', "start a new sandbox world: forget the data folder's sandbox state, Temporal history, bridge store and saved secrets (logs stay)")
  .action(async (options: { fresh?: boolean }) => {
    process.exitCode = await runStart({ ...startSettings(process.env), fresh: options.fresh === true });
  });

const demo = program.command('demo').description('act as a customer against the running local system');
demo
  .command('send')
  .argument('<text>', 'the message text')
  .option('--thread <key>', 'conversation (thread) key', 'demo-customer')
  .option('--from <name>', "the customer's name", 'Demo Customer')
  .description('send a signed generic webhook as a customer')
  .action(async (text: string, options: { thread: string; from: string }) => {
    if (text.trim() === '') throw new InvalidArgumentError('the message text is empty');
    process.stdout.write(`${await demoSend(text, { ...options, dataDir: startSettings(process.env).dataDir })}\n`);
  });

program.addCommand(channelCommand(process.env));
program.addCommand(secretsCommand());

program.addCommand(messagesCommand(inspectSettings(process.env)));
program.addCommand(doctorCommand(process.env));

/** Libraries put credentials in their error texts (a request URL with ?hapikey=…): never print one, nor any setting's secret. */
function redactSettings(text: string): string {
  let settings = process.env;
  try {
    settings = withDotEnv(process.env);
  } catch {
    // An unreadable BRIDGE_ENV_FILE: the environment's own secrets are still removed.
  }
  return createRedactor(secretsOf(settings)).redact(text);
}

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`channel-bridge: ${redactSettings(error instanceof Error ? error.message : String(error))}\n`);
  process.exit(1);
});
