import { execFile } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Runs `channel-bridge …` as a real child process with exactly these settings: the test's own bridge settings
 * (HUBSPOT_*, BRIDGE_*, TEMPORAL_*) are left out, so only `env` decides.
 */
export function cli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(HUBSPOT_|BRIDGE_|TEMPORAL_|TELEGRAM_|WHATSAPP_)/.test(k)),
    );
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'packages/bridge/src/cli/index.ts'), ...args],
      { cwd: ROOT, env: { ...clean, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
