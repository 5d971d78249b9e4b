import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './config-error.js';

/**
 * The environment the bridge runs with: `.env` in the working directory (or the file BRIDGE_ENV_FILE names) under the
 * process's own environment, which wins. Parsed by Node's own dotenv reader (`util.parseEnv`, Node 20.12+). A missing
 * `.env` is no error; a BRIDGE_ENV_FILE that cannot be read is.
 */
export function withDotEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): NodeJS.ProcessEnv {
  const named = env.BRIDGE_ENV_FILE;
  const file = path.resolve(cwd, named ?? '.env');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (!named && (error as NodeJS.ErrnoException).code === 'ENOENT') return env;
    throw new ConfigError([`BRIDGE_ENV_FILE: cannot read ${file} (${(error as Error).message})`]);
  }
  return { ...parseEnv(text), ...env };
}
