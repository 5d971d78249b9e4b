import { ConfigError, loadConfig, type Config } from '../config.js';
import { withDotEnv } from '../config-dotenv.js';
import { fail, pass, type CheckResult } from './types.js';

const DEPLOY_SETTINGS = 'docs/DEPLOY.md, "Settings"';

/**
 * The settings a problem names: ConfigError problems start with them ("HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET
 * are…").
 */
function settingsOf(problem: string): string[] {
  const head = problem.split(/[:(]/)[0] ?? '';
  return [...head.matchAll(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g)].map((m) => m[0]);
}

/** What the api and the worker read: with `dotEnv`, the environment over `.env` (or BRIDGE_ENV_FILE), as they do. */
export function settingsEnv(
  env: NodeJS.ProcessEnv,
  dotEnv: boolean,
): { env: NodeJS.ProcessEnv; results: CheckResult[] } {
  if (!dotEnv) return { env, results: [] };
  try {
    return { env: withDotEnv(env), results: [] };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { env, results: problems(error) };
  }
}

function problems(error: ConfigError): CheckResult[] {
  return error.problems.map((problem, i) => {
    const names = settingsOf(problem);
    const what = names.length ? names.join(' and ') : 'the settings';
    return fail(
      `settings.${names[0] ?? i}`,
      names[0] ?? 'settings',
      problem,
      `set ${what} in the environment (or .env) of the api and the worker (${DEPLOY_SETTINGS})`,
    );
  });
}

/**
 * Every setting, validated exactly as the api and the worker validate them (`loadConfig`): one failed check per
 * problem the ConfigError lists, or the loaded Config.
 */
export function checkSettings(env: NodeJS.ProcessEnv): { results: CheckResult[]; config?: Config } {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { results: problems(error) };
  }
  const store = config.store.databaseUrl ? 'PostgreSQL (BRIDGE_DATABASE_URL)' : `SQLite ${config.store.sqlitePath}`;
  const detail = `every setting is valid: public URL ${config.api.publicUrl}, Temporal ${config.temporal.address} namespace ${config.temporal.namespace} task queue ${config.temporal.taskQueue}, channel ${config.hubspot.channelId}, store ${store}`;
  return { config, results: [pass('settings', 'settings', detail)] };
}
