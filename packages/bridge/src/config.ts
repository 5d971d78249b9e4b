import fs from 'node:fs';
import path from 'node:path';
import { withDotEnv } from './config-dotenv.js';
import { ConfigError } from './config-error.js';
import { envSchema } from './config-settings.js';
import { parseStartWorkflowTypes, type MessageWorkflowTypes } from './domain/workflow-types.js';
import type { PacingRule } from './providers/module.js';
import { pacingOf, providerModules, settingsFromEnv, type ProviderSettingsByKind } from './providers/registry.js';

export { ConfigError } from './config-error.js';

export interface Config {
  readonly api: {
    readonly host: string;
    readonly port: number;
    readonly publicUrl: string;
    readonly maxBodyBytes: number;
    /** Admission control of the webhooks (src/api/admission.ts); 0 never sheds. @default 1000 */
    readonly shedAfterMs: number;
    /** BRIDGE_WEBHOOK_START_WAIT_MS. */
    readonly startWaitMs: number;
    /** BRIDGE_START_WORKFLOW_TYPES; unset, the newest types. */
    readonly workflowTypes?: MessageWorkflowTypes;
  };
  readonly temporal: {
    readonly address: string;
    readonly namespace: string;
    /**
     * TLS and API key for a Temporal cluster or Temporal Cloud (docs/DEPLOY.md); spread into the connection options.
     */
    readonly connection: TemporalConnectionSettings;
    readonly taskQueue: string;
    readonly workflowBundlePath?: string;
    /**
     * Workflows a worker keeps in memory between tasks; bounds its RSS (the SDK's default grows with the heap limit).
     * @default 500
     */
    readonly maxCachedWorkflows: number;
    /** Temporal's web UI, for links in `messages show` and the admin API. @default http://localhost:8233 */
    readonly uiUrl: string;
  };
  /**
   * `databaseUrl` (BRIDGE_DATABASE_URL) selects PostgreSQL, for several api and worker processes; else the SQLite file.
   */
  readonly store: {
    readonly sqlitePath: string;
    readonly databaseUrl?: string;
    readonly encryptionKey: Buffer;
    readonly previousEncryptionKeys: readonly Buffer[];
  };
  readonly hubspot: {
    readonly baseUrl: string;
    /**
     * The local sandbox only (refused against HubSpot itself): a static token for every portal that did not install
     * through OAuth.
     */
    readonly accessToken?: string;
    /** Where admins are sent to install the app (HubSpot's authorize page, or the sandbox's). */
    readonly authorizeUrl: string;
    readonly channelId: string;
    readonly clientId?: string;
    /** Signs HubSpot's webhooks (X-HubSpot-Signature-v3) and authenticates the OAuth exchange. */
    readonly clientSecret?: string;
    readonly appId?: string;
    readonly developerApiKey?: string;
    /** HubSpot's per-portal limit, requests per 10 s. */
    readonly rateLimitPer10s: number;
  };
  /** What the registry's ProviderEndpoints takes (src/providers/registry.ts). */
  readonly providers: {
    /** Each provider's own settings, by kind, from its env settings (src/providers/<name>/settings.ts). */
    readonly settings: ProviderSettingsByKind;
    /** Private hosts media may be fetched from: the local sandboxes only. */
    readonly allowPrivateMediaHosts: readonly string[];
  };
  /**
   * Worker /metrics (bridge + Temporal SDK metrics) on workerHost (loopback by default). Port 0 (the default) serves
   * none, so several local workers never fight over a port; the SDK's endpoint is always loopback.
   */
  readonly metrics: { readonly workerHost: string; readonly workerPort: number; readonly sdkPort: number };
  /**
   * OpenTelemetry from webhook to publish: off (default), console, or otlp to OTEL_EXPORTER_OTLP_ENDPOINT (default
   * http://127.0.0.1:4318).
   */
  readonly tracing: { readonly mode: 'off' | 'console' | 'otlp'; readonly otlpEndpoint?: string };
  /** Required by admin endpoints and state-changing CLI actions; unset means they are refused. */
  readonly adminToken?: string;
  /** On SIGTERM, how long in-flight requests and activities may finish before the process exits. @default 30 s */
  readonly shutdown: { readonly graceMs: number };
  /** The worker's /healthz and /readyz; port 0 (the default) serves none. */
  readonly health: { readonly workerHost: string; readonly workerPort: number };
  /**
   * How long accepted messages are held after an outage so the senders' retries land in order; 0 turns it off
   * (docs/RELIABILITY.md, "Order").
   */
  readonly catchUpMs: number;
  /**
   * Set by `npm start` in sandbox mode, whose emulators start with the api: a start after a silence owes no catch-up.
   */
  readonly sendersStartWithApi: boolean;
  readonly logLevel: string;
  /**
   * Rep replies: delivery window (default 24 h), read-receipt wait (7 d), pacing per chat and per account
   * (docs/OUTBOUND.md).
   */
  /**
   * Customer messages (docs/INBOUND.md): thread policy, largest media carried (20 MB), how long a turned-off account
   * holds (7 d).
   */
  readonly inbound: {
    readonly threads: {
      readonly model: 'INTEGRATION_THREAD_ID' | 'DELIVERY_IDENTIFIER';
      readonly newThreadWhenClosed: boolean;
      /** A thread seen open this recently is not read before a publish (default 60 s); 0 reads every time. */
      readonly statusFreshMs: number;
      readonly newThreadAfterIdleMs?: number;
    };
    readonly maxMediaBytes: number;
    readonly holdLimitMs: number;
  };
  readonly outbound: {
    readonly deliveryWindowMs: number;
    readonly receiptWaitMs: number;
    /** By provider kind, from each provider's settings. */
    readonly pacing: Readonly<Record<string, PacingRule>>;
  };
}

/** True for localhost, 127.0.0.0/8 and ::1: this machine, where plain http and the sandbox's static token are fine. */
function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  try {
    const host = new URL(address).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/**
 * What no single setting can say: the app's credentials (HubSpot's webhooks cannot be verified without the secret), a
 * public URL HubSpot and the providers can call, a static token only where HubSpot allows one, and previous keys that
 * are real keys.
 */
function combinationProblems(e: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (!e.HUBSPOT_CLIENT_ID || !e.HUBSPOT_CLIENT_SECRET) {
    problems.push(
      "HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are required: the public app's credentials. HubSpot signs every webhook with the secret, so without it no reply could ever be verified (docs/GOING_LIVE.md, step 2)",
    );
  }
  if (!e.BRIDGE_PUBLIC_URL) {
    problems.push(
      'BRIDGE_PUBLIC_URL is required: the https address HubSpot and the providers call, e.g. https://bridge.example.com or a tunnel on a laptop (docs/GOING_LIVE.md)',
    );
  } else if (e.BRIDGE_PUBLIC_URL.startsWith('http://') && !isLoopback(e.BRIDGE_PUBLIC_URL)) {
    problems.push(
      'BRIDGE_PUBLIC_URL must be https: HubSpot and the providers call webhooks over https only (plain http is allowed for a loopback address, to test on one machine)',
    );
  }
  const hubspotBaseUrl = e.HUBSPOT_BASE_URL ?? 'https://api.hubapi.com';
  if (e.HUBSPOT_ACCESS_TOKEN && !isLoopback(hubspotBaseUrl)) {
    problems.push(
      "HUBSPOT_ACCESS_TOKEN works only against the local sandbox: custom channels need a public app, whose tokens expire after 30 minutes. Remove it and install the app through OAuth (docs/GOING_LIVE.md, step 6); the bridge refreshes each portal's token itself",
    );
  }
  for (const module of providerModules()) problems.push(...(module.settings.problems?.(e) ?? []));
  const previous = (e.BRIDGE_PREVIOUS_ENCRYPTION_KEYS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (previous.some((k) => Buffer.from(k, 'base64').length !== 32)) {
    problems.push('BRIDGE_PREVIOUS_ENCRYPTION_KEYS must be comma-separated keys of 32 bytes, base64');
  }
  return problems;
}

export interface TemporalConnectionSettings {
  readonly tls?:
    | boolean
    | {
        readonly clientCertPair?: { readonly crt: Buffer; readonly key: Buffer };
        readonly serverNameOverride?: string;
      };
  readonly apiKey?: string;
}

/**
 * Plain TCP by default (a dev server or a cluster inside your network); TLS with TEMPORAL_TLS=true, with an
 * API key (Temporal Cloud API keys imply TLS), or with a client certificate (mTLS: TEMPORAL_TLS_CERT and _KEY, PEM
 * files).
 */
function temporalConnection(e: {
  TEMPORAL_API_KEY?: string;
  TEMPORAL_TLS?: string;
  TEMPORAL_TLS_CERT?: string;
  TEMPORAL_TLS_KEY?: string;
  TEMPORAL_TLS_SERVER_NAME?: string;
}): TemporalConnectionSettings {
  if (Boolean(e.TEMPORAL_TLS_CERT) !== Boolean(e.TEMPORAL_TLS_KEY))
    throw new ConfigError([
      'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (the client certificate and its key, PEM files)',
    ]);
  const read = (name: string, file: string) => {
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new ConfigError([`${name}: cannot read ${file} (${(error as Error).message})`]);
    }
  };
  const clientCertPair =
    e.TEMPORAL_TLS_CERT && e.TEMPORAL_TLS_KEY
      ? { crt: read('TEMPORAL_TLS_CERT', e.TEMPORAL_TLS_CERT), key: read('TEMPORAL_TLS_KEY', e.TEMPORAL_TLS_KEY) }
      : undefined;
  const tlsOn =
    e.TEMPORAL_TLS === 'true' || (e.TEMPORAL_TLS !== 'false' && Boolean(e.TEMPORAL_API_KEY || clientCertPair));
  const tls = tlsOn
    ? clientCertPair || e.TEMPORAL_TLS_SERVER_NAME
      ? { clientCertPair, serverNameOverride: e.TEMPORAL_TLS_SERVER_NAME }
      : true
    : undefined;
  return { ...(tls ? { tls } : {}), ...(e.TEMPORAL_API_KEY ? { apiKey: e.TEMPORAL_API_KEY } : {}) };
}

/**
 * Reads and validates the environment once; only entrypoints call it. Every default is applied here. By default the
 * environment is the process's over the `.env` file in the working directory (src/config-dotenv.ts).
 */
export function loadConfig(env: NodeJS.ProcessEnv = withDotEnv(process.env)): Config {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(blanksRemoved);
  const modeProblems = combinationProblems(blanksRemoved);
  if (!parsed.success) {
    throw new ConfigError([
      ...parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        return issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
      }),
      ...modeProblems,
    ]);
  }
  const e = parsed.data;
  if (modeProblems.length) throw new ConfigError(modeProblems);
  const providerSettings: ProviderSettingsByKind = Object.fromEntries(
    providerModules().map((m) => [m.kind, settingsFromEnv(m, e)]),
  );
  return {
    api: {
      host: e.BRIDGE_API_HOST,
      port: e.BRIDGE_API_PORT,
      // Present: combinationProblems refused its absence.
      publicUrl: (e.BRIDGE_PUBLIC_URL ?? '').replace(/\/$/, ''),
      maxBodyBytes: e.BRIDGE_MAX_BODY_BYTES,
      shedAfterMs: e.BRIDGE_WEBHOOK_SHED_AFTER_SECONDS * 1000,
      startWaitMs: e.BRIDGE_WEBHOOK_START_WAIT_MS,
      // Valid: the schema refused anything else.
      workflowTypes: e.BRIDGE_START_WORKFLOW_TYPES ? parseStartWorkflowTypes(e.BRIDGE_START_WORKFLOW_TYPES) : undefined,
    },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      connection: temporalConnection(e),
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      workflowBundlePath: e.WORKFLOW_BUNDLE_PATH,
      maxCachedWorkflows: e.TEMPORAL_MAX_CACHED_WORKFLOWS,
      uiUrl: e.TEMPORAL_UI_URL.replace(/\/$/, ''),
    },
    store: {
      sqlitePath: e.BRIDGE_SQLITE_PATH ?? path.join(e.BRIDGE_DATA_DIR, 'bridge.sqlite'),
      databaseUrl: e.BRIDGE_DATABASE_URL,
      encryptionKey: Buffer.from(e.BRIDGE_ENCRYPTION_KEY, 'base64'),
      previousEncryptionKeys: (e.BRIDGE_PREVIOUS_ENCRYPTION_KEYS ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean)
        .map((k) => Buffer.from(k, 'base64')),
    },
    hubspot: {
      baseUrl: e.HUBSPOT_BASE_URL.replace(/\/$/, ''),
      accessToken: e.HUBSPOT_ACCESS_TOKEN,
      authorizeUrl: e.HUBSPOT_AUTHORIZE_URL,
      channelId: e.HUBSPOT_CHANNEL_ID,
      clientId: e.HUBSPOT_CLIENT_ID,
      clientSecret: e.HUBSPOT_CLIENT_SECRET,
      appId: e.HUBSPOT_APP_ID,
      developerApiKey: e.HUBSPOT_DEVELOPER_API_KEY,
      rateLimitPer10s: e.HUBSPOT_RATE_LIMIT_PER_10S,
    },
    providers: {
      settings: providerSettings,
      allowPrivateMediaHosts: (e.BRIDGE_ALLOW_PRIVATE_MEDIA_HOSTS ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
    },
    tracing: { mode: e.BRIDGE_TRACING, otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT },
    metrics: {
      workerHost: e.BRIDGE_WORKER_METRICS_HOST,
      workerPort: e.BRIDGE_WORKER_METRICS_PORT,
      sdkPort: e.TEMPORAL_SDK_METRICS_PORT,
    },
    adminToken: e.BRIDGE_ADMIN_TOKEN,
    shutdown: { graceMs: e.BRIDGE_SHUTDOWN_GRACE_SECONDS * 1000 },
    health: { workerHost: e.BRIDGE_WORKER_HEALTH_HOST, workerPort: e.BRIDGE_WORKER_HEALTH_PORT },
    catchUpMs: e.BRIDGE_CATCH_UP_SECONDS * 1000,
    sendersStartWithApi: e.BRIDGE_SENDERS_START_WITH_API === 'true',
    logLevel: e.LOG_LEVEL,
    inbound: {
      threads: {
        model: e.INBOUND_THREADING_MODEL,
        newThreadWhenClosed: e.INBOUND_NEW_THREAD_WHEN_CLOSED === 'true',
        statusFreshMs: e.INBOUND_THREAD_STATUS_FRESH_SECONDS * 1000,
        newThreadAfterIdleMs:
          e.INBOUND_NEW_THREAD_AFTER_IDLE_MINUTES === undefined
            ? undefined
            : e.INBOUND_NEW_THREAD_AFTER_IDLE_MINUTES * 60_000,
      },
      maxMediaBytes: e.INBOUND_MAX_MEDIA_BYTES,
      holdLimitMs: e.INBOUND_HOLD_LIMIT_HOURS * 3_600_000,
    },
    outbound: {
      deliveryWindowMs: e.OUTBOUND_DELIVERY_WINDOW_SECONDS * 1000,
      receiptWaitMs: e.OUTBOUND_RECEIPT_WAIT_SECONDS * 1000,
      pacing: pacingOf(providerSettings),
    },
  };
}

/** The OAuth app the bridge installs as, when HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are set. */
export function oauthApp(
  config: Config,
): { baseUrl: string; clientId: string; clientSecret: string; redirectUri: string } | undefined {
  const { clientId, clientSecret, baseUrl } = config.hubspot;
  return clientId && clientSecret
    ? { baseUrl, clientId, clientSecret, redirectUri: `${config.api.publicUrl}/oauth/callback` }
    : undefined;
}
