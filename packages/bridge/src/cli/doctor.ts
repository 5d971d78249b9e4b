import { Command } from 'commander';
import { formatCheck, formatSummary, runDoctor } from '../doctor/index.js';

/** Exit codes: 0 every check passed (warnings allowed), 1 a check failed, 2 a usage error. */
export const DOCTOR_EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * `channel-bridge doctor`: one line per check (✓ passed, ✗ failed, ! warning, - not checked), or `--json`. The settings
 * are read as the api and the worker read them: the environment over `.env`, or the file BRIDGE_ENV_FILE names.
 */
export function doctorCommand(env: NodeJS.ProcessEnv = process.env): Command {
  return new Command('doctor')
    .description(
      'check a live setup (settings, Temporal, the store, HubSpot, provider webhooks) and name each problem with its fix',
    )
    .option('--json', 'print one JSON report instead of lines')
    .addHelpText(
      'after',
      '\nSettings: the environment over .env, as the api and the worker read them; BRIDGE_ENV_FILE=<file> checks another file.\nExit codes: 0 every check passed (warnings allowed), 1 a check failed, 2 a usage error.',
    )
    .action(async (options: { json?: boolean }) => {
      const onResult = options.json
        ? undefined
        : (check: Parameters<typeof formatCheck>[0]) => process.stdout.write(`${formatCheck(check)}\n`);
      const report = await runDoctor(env, { dotEnv: true, onResult });
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatSummary(report)}\n`);
      process.exitCode = report.ok ? DOCTOR_EXIT.ok : DOCTOR_EXIT.failed;
    });
}
