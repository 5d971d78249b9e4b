import type { Config } from '../config.js';
import type { Store } from '../store/types.js';
import { checkChannel, checkHubSpotApp, checkPortals } from './hubspot.js';
import { checkProviderWebhooks } from './providers.js';
import { createRedactor, secretsOf, type Redactor } from './redact.js';
import { checkSettings, settingsEnv } from './settings.js';
import { checkStore } from './store.js';
import { checkTemporal } from './temporal.js';
import {
  CHECK_STATUSES,
  fail,
  messageOf,
  skip,
  type CheckResult,
  type CheckStatus,
  type DoctorReport,
} from './types.js';

export { formatCheck, formatSummary } from './format.js';
export { createRedactor, secretsOf, type Redactor } from './redact.js';
export type { CheckResult, CheckStatus, DoctorReport } from './types.js';

export interface DoctorOptions {
  /** Called with each result as soon as it is known (already redacted), for streaming output. */
  readonly onResult?: (result: CheckResult) => void;
  /** Read `.env` (or BRIDGE_ENV_FILE) under `env`, as the api and the worker do. @default false: `env` as given */
  readonly dotEnv?: boolean;
}

/**
 * `channel-bridge doctor`: checks a live setup from the settings the api and the worker would read in `env`, and
 * names each problem with its fix. Read-only: it changes nothing in Temporal, the store, HubSpot or the providers.
 * Every text is redacted of the settings' secrets and of every token and credential read along the way.
 */
export async function runDoctor(processEnv: NodeJS.ProcessEnv, options: DoctorOptions = {}): Promise<DoctorReport> {
  const { env, results: envProblems } = settingsEnv(processEnv, options.dotEnv ?? false);
  const redactor = createRedactor(secretsOf(env));
  const checks: CheckResult[] = [];
  const emit = (results: readonly CheckResult[]) => {
    for (const result of results) {
      const clean = redactResult(result, redactor);
      checks.push(clean);
      options.onResult?.(clean);
    }
  };
  const settings = envProblems.length ? { results: envProblems } : checkSettings(env);
  emit(settings.results);
  if ('config' in settings && settings.config) await runLiveChecks(settings.config, redactor, emit);
  const summary = Object.fromEntries(
    CHECK_STATUSES.map((s) => [s, checks.filter((c) => c.status === s).length]),
  ) as Record<CheckStatus, number>;
  return { ok: summary.fail === 0, checks, summary };
}

async function runLiveChecks(
  config: Config,
  redactor: Redactor,
  emit: (results: readonly CheckResult[]) => void,
): Promise<void> {
  redactor.add(
    config.hubspot.clientSecret,
    config.hubspot.developerApiKey,
    config.hubspot.accessToken,
    config.store.encryptionKey.toString('base64'),
  );
  emit(checkHubSpotApp(config));
  emit(await guarded('temporal', 'Temporal', () => checkTemporal(config)));
  let store: Store | undefined;
  emit(
    await guarded('store', 'store', async () => {
      const checked = await checkStore(config);
      store = checked.store;
      return checked.results;
    }),
  );
  emit(await guarded('hubspot.channel', 'HubSpot channel', () => checkChannel(config)));
  if (!store) {
    emit([
      skip('hubspot.portals', 'HubSpot portals', "not checked: the store's checks above failed"),
      skip('providers', 'provider webhooks', "not checked: the store's checks above failed"),
    ]);
    return;
  }
  const opened: Store = store;
  try {
    emit(await guarded('hubspot.portals', 'HubSpot portals', () => checkPortals(config, opened, redactor)));
    emit(await guarded('providers', 'provider webhooks', () => checkProviderWebhooks(config, opened, redactor)));
  } finally {
    await opened.close();
  }
}

/** A check that throws is a failed check, not a crashed doctor. */
async function guarded(id: string, title: string, run: () => Promise<CheckResult[]>): Promise<CheckResult[]> {
  try {
    return await run();
  } catch (error) {
    return [
      fail(
        id,
        title,
        `the check itself failed: ${messageOf(error)}`,
        'run doctor again; if it keeps failing, report it with this line',
      ),
    ];
  }
}

function redactResult(result: CheckResult, redactor: Redactor): CheckResult {
  return {
    ...result,
    title: redactor.redact(result.title),
    detail: redactor.redact(result.detail),
    ...(result.fix ? { fix: redactor.redact(result.fix) } : {}),
  };
}
