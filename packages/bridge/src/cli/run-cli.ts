import { CommanderError, type Command } from 'commander';
import { withDotEnv } from '../config-dotenv.js';
import { createRedactor, secretsOf } from '../doctor/redact.js';
import { buildProgram } from './program.js';
import { CliUsageError, EXIT } from './usage-error.js';

/**
 * Libraries put credentials in their error texts (a request URL with ?hapikey=…): never print one, nor any setting's
 * secret.
 */
function redactSettings(text: string): string {
  let settings = process.env;
  try {
    settings = withDotEnv(process.env);
  } catch {
    // An unreadable BRIDGE_ENV_FILE: the environment's own secrets are still removed.
  }
  return createRedactor(secretsOf(settings)).redact(text);
}

/**
 * Runs the CLI: the bridge's commands, and those `extend` adds (the dev tools add `start` and `demo`), with the exit
 * codes docs/OPERATING.md promises. Every command reads `.env` under the environment, as the api and the worker do
 * (src/config-dotenv.ts).
 */
export function runCli(extend?: (program: Command, env: NodeJS.ProcessEnv) => void): void {
  try {
    for (const [name, value] of Object.entries(withDotEnv(process.env))) process.env[name] ??= value;
  } catch (error) {
    process.stderr.write(`channel-bridge: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT.usage);
  }
  buildProgram(process.env, extend && ((program) => extend(program, process.env)))
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      // Commander has printed its own message (or the help, or the version): only the exit code is left to set.
      if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
      process.stderr.write(
        `channel-bridge: ${redactSettings(error instanceof Error ? error.message : String(error))}\n`,
      );
      process.exit(error instanceof CliUsageError ? EXIT.usage : EXIT.failed);
    });
}
