import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_TEMPLATE_LANGUAGE, TEMPLATE_LANGUAGE, TEMPLATE_NAME, type WhatsAppWindowPolicy } from './providers/whatsapp/window-template.js';

/** Thrown when the environment does not describe a runnable bridge; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ invalid_type_error: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be between 0 and 65535`)
    .max(65535, `${name} must be between 0 and 65535`)
    .default(fallback);

const url = (name: string) =>
  z.string({ required_error: `${name} is required` }).url(`${name} must be an absolute URL, e.g. https://example.com`);

const required = (name: string, what: string) =>
  z.string({ required_error: `${name} is required: ${what}` }).min(1, `${name} is required: ${what}`);

const encryptionKey = z
  .string({ required_error: 'BRIDGE_ENCRYPTION_KEY is required: 32 random bytes, base64 (openssl rand -base64 32)' })
  .refine((v) => Buffer.from(v, 'base64').length === 32, {
    message: 'BRIDGE_ENCRYPTION_KEY must be 32 bytes encoded as base64 (openssl rand -base64 32)',
  });

const envSchema = z.object({
  BRIDGE_API_HOST: z.string().default('127.0.0.1'),
  BRIDGE_API_PORT: port('BRIDGE_API_PORT', 3000),
  BRIDGE_PUBLIC_URL: url('BRIDGE_PUBLIC_URL').optional(),
  BRIDGE_DATA_DIR: z.string().default('.data'),
  BRIDGE_SQLITE_PATH: z.string().optional(),
  BRIDGE_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'BRIDGE_DATABASE_URL must be a postgres://user:password@host:5432/database URL').optional(),
  BRIDGE_ENCRYPTION_KEY: encryptionKey,
  BRIDGE_MAX_BODY_BYTES: z.coerce.number().int().positive('BRIDGE_MAX_BODY_BYTES must be positive').default(1_048_576),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS: z.enum(['true', 'false'], { message: 'TEMPORAL_TLS must be true or false' }).optional(),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_TASK_QUEUE: z.string().default('channel-bridge'),
  TEMPORAL_UI_URL: url('TEMPORAL_UI_URL').default('http://localhost:8233'),
  BRIDGE_WORKER_METRICS_HOST: z.string().default('127.0.0.1'),
  BRIDGE_WORKER_METRICS_PORT: port('BRIDGE_WORKER_METRICS_PORT', 0),
  TEMPORAL_SDK_METRICS_PORT: port('TEMPORAL_SDK_METRICS_PORT', 0),
  BRIDGE_TRACING: z.enum(['off', 'console', 'otlp'], { message: 'BRIDGE_TRACING must be off, console or otlp' }).default('off'),
  OTEL_EXPORTER_OTLP_ENDPOINT: url('OTEL_EXPORTER_OTLP_ENDPOINT').optional(),
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  TEMPORAL_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0, 'TEMPORAL_MAX_CACHED_WORKFLOWS must be 0 or more').default(500),
  HUBSPOT_BASE_URL: url('HUBSPOT_BASE_URL').default('https://api.hubapi.com'),
  HUBSPOT_ACCESS_TOKEN: z.string().optional(),
  HUBSPOT_AUTHORIZE_URL: url('HUBSPOT_AUTHORIZE_URL').default('https://app.hubspot.com/oauth/authorize'),
  BRIDGE_PREVIOUS_ENCRYPTION_KEYS: z.string().optional(),
  HUBSPOT_CHANNEL_ID: z
    .string({ required_error: 'HUBSPOT_CHANNEL_ID is required: the id HubSpot returned when the channel was registered' })
    .regex(/^\d+$/, 'HUBSPOT_CHANNEL_ID must be the numeric channel id HubSpot returned'),
  HUBSPOT_CLIENT_ID: z.string().optional(),
  HUBSPOT_CLIENT_SECRET: z.string().optional(),
  HUBSPOT_APP_ID: z.string().regex(/^\d+$/, 'HUBSPOT_APP_ID must be the numeric app id').optional(),
  HUBSPOT_DEVELOPER_API_KEY: z.string().optional(),
  HUBSPOT_RATE_LIMIT_PER_10S: z.coerce.number().int().positive('HUBSPOT_RATE_LIMIT_PER_10S must be positive').default(100),
  INBOUND_THREADING_MODEL: z.enum(['INTEGRATION_THREAD_ID', 'DELIVERY_IDENTIFIER'], { message: 'INBOUND_THREADING_MODEL must be INTEGRATION_THREAD_ID or DELIVERY_IDENTIFIER' }).default('INTEGRATION_THREAD_ID'),
  INBOUND_NEW_THREAD_WHEN_CLOSED: z.enum(['true', 'false'], { message: 'INBOUND_NEW_THREAD_WHEN_CLOSED must be true or false' }).default('true'),
  INBOUND_NEW_THREAD_AFTER_IDLE_MINUTES: z.coerce.number().positive('INBOUND_NEW_THREAD_AFTER_IDLE_MINUTES must be positive').optional(),
  INBOUND_MAX_MEDIA_BYTES: z.coerce.number().int().positive('INBOUND_MAX_MEDIA_BYTES must be positive').default(20_000_000),
  BRIDGE_CATCH_UP_SECONDS: z.coerce.number().min(0, 'BRIDGE_CATCH_UP_SECONDS must be 0 or more').default(30),
  BRIDGE_SENDERS_START_WITH_API: z.enum(['true', 'false'], { message: 'BRIDGE_SENDERS_START_WITH_API must be true or false' }).default('false'),
  INBOUND_HOLD_LIMIT_HOURS: z.coerce.number().positive('INBOUND_HOLD_LIMIT_HOURS must be positive').default(168),
  BRIDGE_ADMIN_TOKEN: z.string().min(16, 'BRIDGE_ADMIN_TOKEN must be at least 16 characters').optional(),
  TELEGRAM_API_BASE_URL: url('TELEGRAM_API_BASE_URL').default('https://api.telegram.org'),
  WHATSAPP_GRAPH_BASE_URL: url('WHATSAPP_GRAPH_BASE_URL').default('https://graph.facebook.com'),
  BRIDGE_ALLOW_PRIVATE_MEDIA_HOSTS: z.string().optional(),
  WHATSAPP_WINDOW_MODE: z.enum(['fail', 'template'], { message: 'WHATSAPP_WINDOW_MODE must be fail or template' }).optional(),
  WHATSAPP_WINDOW_TEMPLATE: z.string().regex(TEMPLATE_NAME, 'WHATSAPP_WINDOW_TEMPLATE must be an approved template name: lowercase letters, digits and underscores').optional(),
  WHATSAPP_WINDOW_TEMPLATE_LANGUAGE: z.string().regex(TEMPLATE_LANGUAGE, 'WHATSAPP_WINDOW_TEMPLATE_LANGUAGE must be a template language code such as en or en_US').default(DEFAULT_TEMPLATE_LANGUAGE),
  OUTBOUND_DELIVERY_WINDOW_SECONDS: z.coerce.number().int().positive('OUTBOUND_DELIVERY_WINDOW_SECONDS must be positive').default(86_400),
  OUTBOUND_RECEIPT_WAIT_SECONDS: z.coerce.number().int().positive('OUTBOUND_RECEIPT_WAIT_SECONDS must be positive').default(604_800),
  OUTBOUND_TELEGRAM_CHAT_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
  OUTBOUND_TELEGRAM_PER_SECOND: z.coerce.number().int().min(0).default(30),
  OUTBOUND_WHATSAPP_CHAT_INTERVAL_MS: z.coerce.number().int().min(0).default(6000),
  OUTBOUND_WHATSAPP_PER_SECOND: z.coerce.number().int().min(0).default(80),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  readonly api: { readonly host: string; readonly port: number; readonly publicUrl: string; readonly maxBodyBytes: number };
  readonly temporal: {
    readonly address: string;
    readonly namespace: string;
    /** TLS and API key for a Temporal cluster or Temporal Cloud (docs/DEPLOY.md); spread into the connection options. */
    readonly connection: TemporalConnectionSettings;
    readonly taskQueue: string;
    readonly workflowBundlePath?: string;
    /** Workflows a worker keeps in memory between tasks; bounds its RSS (the SDK's default grows with the heap limit). @default 500 */
    readonly maxCachedWorkflows: number;
    /** Temporal's web UI, for links in `messages show` and the admin API. @default http://localhost:8233 */
    readonly uiUrl: string;
  };
  /** `databaseUrl` (BRIDGE_DATABASE_URL) selects PostgreSQL, for several api and worker processes; else the SQLite file. */
  readonly store: { readonly sqlitePath: string; readonly databaseUrl?: string; readonly encryptionKey: Buffer; readonly previousEncryptionKeys: readonly Buffer[] };
  readonly hubspot: {
    readonly baseUrl: string;
    /** Single-portal mode: a static token for every portal that did not install through OAuth. */
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
  readonly providers: {
    readonly telegramApiBaseUrl: string;
    readonly whatsappGraphBaseUrl: string;
    /** Private hosts the generic adapter may fetch media from: the local sandboxes only. */
    readonly allowPrivateMediaHosts: readonly string[];
    /** WhatsApp replies after the 24-hour window: fail with a reason (default) or send a template (docs/OUTBOUND.md). */
    readonly whatsappWindow: WhatsAppWindowPolicy;
  };
  /**
   * Worker /metrics (bridge + Temporal SDK metrics) on workerHost (loopback by default). Port 0 (the default) serves
   * none, so several local workers never fight over a port; the SDK's endpoint is always loopback (issue 8).
   */
  readonly metrics: { readonly workerHost: string; readonly workerPort: number; readonly sdkPort: number };
  /** OpenTelemetry from webhook to publish: off (default), console, or otlp to OTEL_EXPORTER_OTLP_ENDPOINT (default http://127.0.0.1:4318). */
  readonly tracing: { readonly mode: 'off' | 'console' | 'otlp'; readonly otlpEndpoint?: string };
  /** Required by admin endpoints and state-changing CLI actions; unset means they are refused. */
  readonly adminToken?: string;
  /** How long accepted messages are held after an outage so the senders' retries land in order; 0 turns it off (docs/RELIABILITY.md, "Order"). */
  readonly catchUpMs: number;
  /** Set by `npm start` in sandbox mode, whose emulators start with the api: a start after a silence owes no catch-up. */
  readonly sendersStartWithApi: boolean;
  readonly logLevel: string;
  /** Rep replies: delivery window (default 24 h), read-receipt wait (7 d), pacing per chat and per account (docs/OUTBOUND.md). */
  /** Customer messages (docs/INBOUND.md): thread policy, largest media carried (20 MB), how long a turned-off account holds (7 d). */
  readonly inbound: {
    readonly threads: { readonly model: 'INTEGRATION_THREAD_ID' | 'DELIVERY_IDENTIFIER'; readonly newThreadWhenClosed: boolean; readonly newThreadAfterIdleMs?: number };
    readonly maxMediaBytes: number;
    readonly holdLimitMs: number;
  };
  readonly outbound: {
    readonly deliveryWindowMs: number;
    readonly receiptWaitMs: number;
    readonly pacing: Readonly<Record<'telegram' | 'whatsapp' | 'generic', { readonly perChatIntervalMs: number; readonly globalPerSecond: number }>>;
  };
}

/** Single-portal (static token) or multi-portal (OAuth app) mode, and previous keys that are real keys. */
function issue7Problems(e: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (!e.HUBSPOT_ACCESS_TOKEN && !(e.HUBSPOT_CLIENT_ID && e.HUBSPOT_CLIENT_SECRET)) {
    problems.push("HUBSPOT_ACCESS_TOKEN is required: the portal's OAuth access token (single-portal mode), unless HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are set (OAuth install)");
  }
  if (e.WHATSAPP_WINDOW_MODE === 'template' && !e.WHATSAPP_WINDOW_TEMPLATE) {
    problems.push('WHATSAPP_WINDOW_TEMPLATE is required when WHATSAPP_WINDOW_MODE is template: the name of an approved template whose body has one parameter, {{1}}');
  }
  const previous = (e.BRIDGE_PREVIOUS_ENCRYPTION_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  if (previous.some((k) => Buffer.from(k, 'base64').length !== 32)) {
    problems.push('BRIDGE_PREVIOUS_ENCRYPTION_KEYS must be comma-separated keys of 32 bytes, base64');
  }
  return problems;
}

export interface TemporalConnectionSettings {
  readonly tls?: boolean | { readonly clientCertPair?: { readonly crt: Buffer; readonly key: Buffer }; readonly serverNameOverride?: string };
  readonly apiKey?: string;
}

/**
 * Plain TCP by default (a dev server or a cluster inside your network); TLS with TEMPORAL_TLS=true, with an
 * API key (Temporal Cloud API keys imply TLS), or with a client certificate (mTLS: TEMPORAL_TLS_CERT and _KEY, PEM files).
 */
function temporalConnection(e: { TEMPORAL_API_KEY?: string; TEMPORAL_TLS?: string; TEMPORAL_TLS_CERT?: string; TEMPORAL_TLS_KEY?: string; TEMPORAL_TLS_SERVER_NAME?: string }): TemporalConnectionSettings {
  if (Boolean(e.TEMPORAL_TLS_CERT) !== Boolean(e.TEMPORAL_TLS_KEY)) throw new ConfigError(['TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (the client certificate and its key, PEM files)']);
  const read = (name: string, file: string) => {
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new ConfigError([`${name}: cannot read ${file} (${(error as Error).message})`]);
    }
  };
  const clientCertPair = e.TEMPORAL_TLS_CERT && e.TEMPORAL_TLS_KEY ? { crt: read('TEMPORAL_TLS_CERT', e.TEMPORAL_TLS_CERT), key: read('TEMPORAL_TLS_KEY', e.TEMPORAL_TLS_KEY) } : undefined;
  const tlsOn = e.TEMPORAL_TLS === 'true' || (e.TEMPORAL_TLS !== 'false' && Boolean(e.TEMPORAL_API_KEY || clientCertPair));
  const tls = tlsOn ? (clientCertPair || e.TEMPORAL_TLS_SERVER_NAME ? { clientCertPair, serverNameOverride: e.TEMPORAL_TLS_SERVER_NAME } : true) : undefined;
  return { ...(tls ? { tls } : {}), ...(e.TEMPORAL_API_KEY ? { apiKey: e.TEMPORAL_API_KEY } : {}) };
}

/** Reads and validates the environment once; only entrypoints call it. Every default is applied here. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(blanksRemoved);
  const modeProblems = issue7Problems(blanksRemoved);
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
  return {
    api: {
      host: e.BRIDGE_API_HOST,
      port: e.BRIDGE_API_PORT,
      publicUrl: (e.BRIDGE_PUBLIC_URL ?? `http://${e.BRIDGE_API_HOST}:${e.BRIDGE_API_PORT}`).replace(/\/$/, ''),
      maxBodyBytes: e.BRIDGE_MAX_BODY_BYTES,
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
      previousEncryptionKeys: (e.BRIDGE_PREVIOUS_ENCRYPTION_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean).map((k) => Buffer.from(k, 'base64')),
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
      telegramApiBaseUrl: e.TELEGRAM_API_BASE_URL.replace(/\/$/, ''),
      whatsappGraphBaseUrl: e.WHATSAPP_GRAPH_BASE_URL.replace(/\/$/, ''),
      allowPrivateMediaHosts: (e.BRIDGE_ALLOW_PRIVATE_MEDIA_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean),
      whatsappWindow: whatsAppWindow(e),
    },
    tracing: { mode: e.BRIDGE_TRACING, otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT },
    metrics: { workerHost: e.BRIDGE_WORKER_METRICS_HOST, workerPort: e.BRIDGE_WORKER_METRICS_PORT, sdkPort: e.TEMPORAL_SDK_METRICS_PORT },
    adminToken: e.BRIDGE_ADMIN_TOKEN,
    catchUpMs: e.BRIDGE_CATCH_UP_SECONDS * 1000,
    sendersStartWithApi: e.BRIDGE_SENDERS_START_WITH_API === 'true',
    logLevel: e.LOG_LEVEL,
    inbound: {
      threads: {
        model: e.INBOUND_THREADING_MODEL,
        newThreadWhenClosed: e.INBOUND_NEW_THREAD_WHEN_CLOSED === 'true',
        newThreadAfterIdleMs: e.INBOUND_NEW_THREAD_AFTER_IDLE_MINUTES === undefined ? undefined : e.INBOUND_NEW_THREAD_AFTER_IDLE_MINUTES * 60_000,
      },
      maxMediaBytes: e.INBOUND_MAX_MEDIA_BYTES,
      holdLimitMs: e.INBOUND_HOLD_LIMIT_HOURS * 3_600_000,
    },
    outbound: {
      deliveryWindowMs: e.OUTBOUND_DELIVERY_WINDOW_SECONDS * 1000,
      receiptWaitMs: e.OUTBOUND_RECEIPT_WAIT_SECONDS * 1000,
      pacing: {
        telegram: { perChatIntervalMs: e.OUTBOUND_TELEGRAM_CHAT_INTERVAL_MS, globalPerSecond: e.OUTBOUND_TELEGRAM_PER_SECOND },
        whatsapp: { perChatIntervalMs: e.OUTBOUND_WHATSAPP_CHAT_INTERVAL_MS, globalPerSecond: e.OUTBOUND_WHATSAPP_PER_SECOND },
        generic: { perChatIntervalMs: 0, globalPerSecond: 0 },
      },
    },
  };
}

/**
 * WHATSAPP_WINDOW_MODE defaults to template when WHATSAPP_WINDOW_TEMPLATE is set, else fail; WHATSAPP_WINDOW_MODE=fail
 * keeps a configured template unused.
 */
function whatsAppWindow(e: { WHATSAPP_WINDOW_MODE?: 'fail' | 'template'; WHATSAPP_WINDOW_TEMPLATE?: string; WHATSAPP_WINDOW_TEMPLATE_LANGUAGE: string }): WhatsAppWindowPolicy {
  const mode = e.WHATSAPP_WINDOW_MODE ?? (e.WHATSAPP_WINDOW_TEMPLATE ? 'template' : 'fail');
  return mode === 'template' && e.WHATSAPP_WINDOW_TEMPLATE
    ? { mode, template: { name: e.WHATSAPP_WINDOW_TEMPLATE, language: e.WHATSAPP_WINDOW_TEMPLATE_LANGUAGE } }
    : { mode: 'fail' };
}

/** The OAuth app the bridge installs as, when HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are set. */
export function oauthApp(config: Config): { baseUrl: string; clientId: string; clientSecret: string; redirectUri: string } | undefined {
  const { clientId, clientSecret, baseUrl } = config.hubspot;
  return clientId && clientSecret ? { baseUrl, clientId, clientSecret, redirectUri: `${config.api.publicUrl}/oauth/callback` } : undefined;
}
