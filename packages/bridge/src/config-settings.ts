import { z } from 'zod';
import { INBOUND_WORKFLOW_TYPES, OUTBOUND_WORKFLOW_TYPES, parseStartWorkflowTypes } from './domain/workflow-types.js';
import type { ProviderEnvSetting } from './providers/module.js';
import { providerModules } from './providers/registry.js';

/**
 * Every setting the api, the worker and the CLI read, grouped as `.env.example` shows them, each with what it means.
 * `.env.example` is generated from this list (`npm run env-example`), and a test fails when the two drift apart.
 */

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ invalid_type_error: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be between 0 and 65535`)
    .max(65535, `${name} must be between 0 and 65535`)
    .default(fallback);

const url = (name: string) =>
  z.string({ required_error: `${name} is required` }).url(`${name} must be an absolute URL, e.g. https://example.com`);
const bool = (name: string) => z.enum(['true', 'false'], { message: `${name} must be true or false` });
const positive = (name: string) => z.coerce.number().positive(`${name} must be positive`);
const positiveInt = (name: string) => z.coerce.number().int().positive(`${name} must be positive`);

const encryptionKey = z
  .string({ required_error: 'BRIDGE_ENCRYPTION_KEY is required: 32 random bytes, base64 (openssl rand -base64 32)' })
  .refine((v) => Buffer.from(v, 'base64').length === 32, {
    message: 'BRIDGE_ENCRYPTION_KEY must be 32 bytes encoded as base64 (openssl rand -base64 32)',
  });

/** One setting: its validation (with its default, if any), and what it means, in a line or two. */
export interface Setting {
  readonly schema: z.ZodTypeAny;
  readonly doc: string;
  /** A value to show in `.env.example` for a required setting without a default. */
  readonly example?: string;
  /** Keys, tokens and passwords: `.env.example` never shows a value for them. */
  readonly secret?: boolean;
}

export interface SettingsSection {
  readonly title: string;
  readonly settings: Readonly<Record<string, Setting>>;
}

/**
 * Every registered provider's settings of one `.env.example` section, in the registry's order
 * (src/providers/<name>/settings.ts).
 */
function providersIn(section: ProviderEnvSetting['section']): Record<string, Setting> {
  const entries = providerModules()
    .flatMap((m) => Object.entries(m.settings.env))
    .filter(([, s]) => s.section === section);
  return Object.fromEntries(entries.map(([name, { section: _section, ...setting }]) => [name, setting]));
}

const hubspotSettings = {
  HUBSPOT_CLIENT_ID: {
    schema: z.string().optional(),
    doc: "The public app's client id (Auth tab). Required with HUBSPOT_CLIENT_SECRET.",
  },
  HUBSPOT_CLIENT_SECRET: {
    schema: z.string().optional(),
    secret: true,
    doc: "The public app's client secret. HubSpot signs every webhook with it (X-HubSpot-Signature-v3) and the OAuth install needs it: required.",
  },
  HUBSPOT_APP_ID: {
    schema: z.string().regex(/^\d+$/, 'HUBSPOT_APP_ID must be the numeric app id').optional(),
    doc: 'The numeric app id; `channel register` needs it.',
  },
  HUBSPOT_DEVELOPER_API_KEY: {
    schema: z.string().optional(),
    secret: true,
    doc: "The developer account's API key; `channel register` and `doctor` use it to register and read the channel.",
  },
  HUBSPOT_CHANNEL_ID: {
    schema: z
      .string({
        required_error: 'HUBSPOT_CHANNEL_ID is required: the id HubSpot returned when the channel was registered',
      })
      .regex(/^\d+$/, 'HUBSPOT_CHANNEL_ID must be the numeric channel id HubSpot returned'),
    example: '',
    doc: 'The id `channel-bridge channel register` printed.',
  },
  HUBSPOT_BASE_URL: {
    schema: url('HUBSPOT_BASE_URL').default('https://api.hubapi.com'),
    doc: "HubSpot's API. Only the local sandbox changes it.",
  },
  HUBSPOT_AUTHORIZE_URL: {
    schema: url('HUBSPOT_AUTHORIZE_URL').default('https://app.hubspot.com/oauth/authorize'),
    doc: "Where an admin installs the app: HubSpot's authorize page.",
  },
  HUBSPOT_ACCESS_TOKEN: {
    schema: z.string().optional(),
    secret: true,
    doc: "The local sandbox only: one portal's token instead of the OAuth install. A real portal's token expires after 30 minutes, so it is refused unless HUBSPOT_BASE_URL is on this machine.",
  },
  HUBSPOT_RATE_LIMIT_PER_10S: {
    schema: positiveInt('HUBSPOT_RATE_LIMIT_PER_10S').default(100),
    doc: "HubSpot's per-portal limit, calls per 10 seconds (100 for public apps).",
  },
} satisfies Record<string, Setting>;

const bridgeSettings = {
  BRIDGE_PUBLIC_URL: {
    schema: url('BRIDGE_PUBLIC_URL').optional(),
    example: 'https://bridge.example.com',
    doc: 'The https address HubSpot and the providers call (a tunnel on a laptop). HubSpot signs webhooks over it. Required; http only for a loopback address.',
  },
  BRIDGE_API_HOST: {
    schema: z.string().default('127.0.0.1'),
    doc: 'The interface the api listens on; 0.0.0.0 in a container.',
  },
  BRIDGE_API_PORT: { schema: port('BRIDGE_API_PORT', 3000), doc: 'The port the api listens on.' },
  BRIDGE_ENCRYPTION_KEY: {
    schema: encryptionKey,
    secret: true,
    example: '',
    doc: 'Encrypts credentials and tokens at rest: 32 random bytes, base64 (openssl rand -base64 32). Required.',
  },
  BRIDGE_PREVIOUS_ENCRYPTION_KEYS: {
    schema: z.string().optional(),
    secret: true,
    doc: 'Older keys, comma-separated, still read during a rotation (`channel-bridge secrets rotate`).',
  },
  BRIDGE_ADMIN_TOKEN: {
    schema: z.string().min(16, 'BRIDGE_ADMIN_TOKEN must be at least 16 characters').optional(),
    secret: true,
    doc: '/admin and state-changing CLI actions need it (at least 16 characters); unset refuses them.',
  },
  BRIDGE_DATABASE_URL: {
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'BRIDGE_DATABASE_URL must be a postgres://user:password@host:5432/database URL')
      .optional(),
    secret: true,
    doc: 'postgres://user:password@host:5432/bridge: one store shared by every api and worker process. SQLite otherwise (one machine).',
  },
  BRIDGE_DATA_DIR: { schema: z.string().default('.data'), doc: 'Where the SQLite store and local state live.' },
  BRIDGE_SQLITE_PATH: {
    schema: z.string().optional(),
    doc: 'The SQLite file; default <BRIDGE_DATA_DIR>/bridge.sqlite.',
  },
  BRIDGE_MAX_BODY_BYTES: {
    schema: positiveInt('BRIDGE_MAX_BODY_BYTES').default(1_048_576),
    doc: 'The largest webhook body the api reads.',
  },
  BRIDGE_WEBHOOK_SHED_AFTER_SECONDS: {
    schema: z.coerce.number().min(0, 'BRIDGE_WEBHOOK_SHED_AFTER_SECONDS must be 0 or more').default(1),
    doc: 'Once webhooks wait about this long for Temporal and the store, new ones are answered 503 with Retry-After (docs/RELIABILITY.md); 0 never sheds.',
  },
  BRIDGE_WEBHOOK_START_WAIT_MS: {
    schema: z.coerce.number().int().min(0, 'BRIDGE_WEBHOOK_START_WAIT_MS must be 0 or more').default(20),
    doc: "How long a provider webhook's answer waits for Temporal to start its message's workflow; the message is durable in the store first, and a slower start goes on behind the answer (docs/INBOUND.md).",
  },
  BRIDGE_START_WORKFLOW_TYPES: {
    schema: z
      .string()
      .optional()
      .refine((value) => value === undefined || parseStartWorkflowTypes(value) !== undefined, {
        message: `BRIDGE_START_WORKFLOW_TYPES must name an inbound then an outbound message workflow type, comma-separated, of: ${[...INBOUND_WORKFLOW_TYPES, ...OUTBOUND_WORKFLOW_TYPES].join(', ')}`,
      }),
    doc: 'The workflow types the api starts messages as, inbound then outbound (`inboundMessageWorkflowV3,outboundMessageWorkflowV3`); unset, the newest. During an upgrade that brings a new type, keep starting the previous ones until every worker runs the new code (docs/UPGRADING.md).',
  },
  BRIDGE_SHUTDOWN_GRACE_SECONDS: {
    schema: z.coerce.number().min(0, 'BRIDGE_SHUTDOWN_GRACE_SECONDS must be 0 or more').default(30),
    doc: 'On SIGTERM: how long in-flight requests and activities may finish before the process exits.',
  },
  BRIDGE_WORKER_HEALTH_HOST: {
    schema: z.string().default('127.0.0.1'),
    doc: "The interface of the worker's /healthz and /readyz; 0.0.0.0 in a container.",
  },
  BRIDGE_WORKER_HEALTH_PORT: {
    schema: port('BRIDGE_WORKER_HEALTH_PORT', 0),
    doc: "The port of the worker's /healthz and /readyz; 0 serves none.",
  },
  BRIDGE_ALLOW_PRIVATE_MEDIA_HOSTS: {
    schema: z.string().optional(),
    doc: 'Private hosts media may be fetched from, comma-separated: the local emulators only. Leave empty in production.',
  },
} satisfies Record<string, Setting>;

const temporalSettings = {
  TEMPORAL_ADDRESS: {
    schema: z.string().default('127.0.0.1:7233'),
    doc: 'host:port of the frontend (Temporal Cloud: <namespace>.<account>.tmprl.cloud:7233).',
  },
  TEMPORAL_NAMESPACE: {
    schema: z.string().default('default'),
    doc: "The namespace; it needs the bridge's search attributes (`channel-bridge doctor` checks).",
  },
  TEMPORAL_API_KEY: { schema: z.string().optional(), secret: true, doc: 'A Temporal Cloud API key; implies TLS.' },
  TEMPORAL_TLS: {
    schema: bool('TEMPORAL_TLS').optional(),
    doc: 'true for TLS without a client certificate; implied by an API key or a certificate.',
  },
  TEMPORAL_TLS_CERT: {
    schema: z.string().optional(),
    doc: 'mTLS: the client certificate, a PEM file path. Goes with TEMPORAL_TLS_KEY.',
  },
  TEMPORAL_TLS_KEY: { schema: z.string().optional(), doc: "mTLS: the client certificate's key, a PEM file path." },
  TEMPORAL_TLS_SERVER_NAME: {
    schema: z.string().optional(),
    doc: "Overrides the server name TLS checks, when it differs from the address's host.",
  },
  TEMPORAL_TASK_QUEUE: {
    schema: z.string().default('channel-bridge'),
    doc: 'The task queue the api starts workflows on and the workers poll.',
  },
  TEMPORAL_UI_URL: {
    schema: url('TEMPORAL_UI_URL').default('http://localhost:8233'),
    doc: "Temporal's web UI, for links in `messages show` and the admin API.",
  },
  TEMPORAL_MAX_CACHED_WORKFLOWS: {
    schema: z.coerce.number().int().min(0, 'TEMPORAL_MAX_CACHED_WORKFLOWS must be 0 or more').default(500),
    doc: 'Workflows a worker keeps in memory between tasks; bounds its memory.',
  },
  WORKFLOW_BUNDLE_PATH: {
    schema: z.string().optional(),
    doc: 'A prebuilt workflow bundle (`npm run build` makes one); unset bundles at worker start.',
  },
} satisfies Record<string, Setting>;

const inboundSettings = {
  INBOUND_THREADING_MODEL: {
    schema: z
      .enum(['INTEGRATION_THREAD_ID', 'DELIVERY_IDENTIFIER'], {
        message: 'INBOUND_THREADING_MODEL must be INTEGRATION_THREAD_ID or DELIVERY_IDENTIFIER',
      })
      .default('INTEGRATION_THREAD_ID'),
    doc: "How HubSpot groups a customer's messages into threads: by the bridge's chat key, or by the sender's identifier.",
  },
  INBOUND_NEW_THREAD_WHEN_CLOSED: {
    schema: bool('INBOUND_NEW_THREAD_WHEN_CLOSED').default('true'),
    doc: 'A message to a closed thread opens a new one (true) or reopens it (false).',
  },
  INBOUND_THREAD_STATUS_FRESH_SECONDS: {
    schema: z.coerce
      .number({ invalid_type_error: 'INBOUND_THREAD_STATUS_FRESH_SECONDS must be a number of seconds' })
      .min(0, 'INBOUND_THREAD_STATUS_FRESH_SECONDS must be 0 or more')
      .default(60),
    doc: 'How long a HubSpot thread seen open is trusted open without reading it before a publish (with INBOUND_NEW_THREAD_WHEN_CLOSED); 0 reads before every one.',
  },
  INBOUND_NEW_THREAD_AFTER_IDLE_MINUTES: {
    schema: positive('INBOUND_NEW_THREAD_AFTER_IDLE_MINUTES').optional(),
    doc: 'A message after this long a silence opens a new thread; unset never does.',
  },
  INBOUND_MAX_MEDIA_BYTES: {
    schema: positiveInt('INBOUND_MAX_MEDIA_BYTES').default(20_000_000),
    doc: 'The largest customer file carried; larger ones arrive as a note.',
  },
  INBOUND_HOLD_LIMIT_HOURS: {
    schema: positive('INBOUND_HOLD_LIMIT_HOURS').default(168),
    doc: 'How long messages wait while their account is turned off in HubSpot.',
  },
  BRIDGE_CATCH_UP_SECONDS: {
    schema: z.coerce.number().min(0, 'BRIDGE_CATCH_UP_SECONDS must be 0 or more').default(30),
    doc: "After a sender's webhook was refused (503), how long its lines are held so its retries land in order (docs/ORDERING.md); 0 turns it off.",
  },
  BRIDGE_SENDERS_START_WITH_API: {
    schema: bool('BRIDGE_SENDERS_START_WITH_API').default('false'),
    doc: 'The local sandbox only: no sender has retries pending when the api starts.',
  },
} satisfies Record<string, Setting>;

const outboundSettings = {
  OUTBOUND_DELIVERY_WINDOW_SECONDS: {
    schema: positiveInt('OUTBOUND_DELIVERY_WINDOW_SECONDS').default(86_400),
    doc: 'A reply not delivered this long after it was written fails with the reason.',
  },
  OUTBOUND_RECEIPT_WAIT_SECONDS: {
    schema: positiveInt('OUTBOUND_RECEIPT_WAIT_SECONDS').default(604_800),
    doc: 'How long a reply waits for its read receipt.',
  },
  ...providersIn('outbound'),
} satisfies Record<string, Setting>;

const providerSettings = providersIn('providers');

const observabilitySettings = {
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    doc: 'fatal, error, warn, info, debug, trace or silent.',
  },
  BRIDGE_WORKER_METRICS_HOST: {
    schema: z.string().default('127.0.0.1'),
    doc: "The interface of the worker's /metrics.",
  },
  BRIDGE_WORKER_METRICS_PORT: {
    schema: port('BRIDGE_WORKER_METRICS_PORT', 0),
    doc: "The port of the worker's /metrics; 0 serves none.",
  },
  TEMPORAL_SDK_METRICS_PORT: {
    schema: port('TEMPORAL_SDK_METRICS_PORT', 0),
    doc: "The Temporal SDK's own metrics, on loopback, appended to the worker's /metrics; 0 off.",
  },
  BRIDGE_TRACING: {
    schema: z
      .enum(['off', 'console', 'otlp'], { message: 'BRIDGE_TRACING must be off, console or otlp' })
      .default('off'),
    doc: 'OpenTelemetry traces from webhook to publish: off, console or otlp.',
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    schema: url('OTEL_EXPORTER_OTLP_ENDPOINT').optional(),
    doc: 'Where otlp traces go; default http://127.0.0.1:4318.',
  },
} satisfies Record<string, Setting>;

export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  {
    title:
      'HubSpot: the public app (developer platform) and its channel. docs/GOING_LIVE.md walks through getting each.',
    settings: hubspotSettings,
  },
  { title: 'The bridge: where it listens, its public address, secrets and store.', settings: bridgeSettings },
  { title: 'Temporal: a cluster of your own, or Temporal Cloud with an API key or mTLS.', settings: temporalSettings },
  { title: 'Customer messages into HubSpot (docs/INBOUND.md).', settings: inboundSettings },
  { title: 'Rep replies to customers (docs/OUTBOUND.md).', settings: outboundSettings },
  { title: "The providers' APIs. Only the local sandbox changes them.", settings: providerSettings },
  { title: 'Logs, metrics and traces (docs/OPERATING.md).', settings: observabilitySettings },
];

/**
 * What docker-compose.yml reads besides the bridge's own settings: passwords of its two databases, image versions and
 * Temporal's retention. The bridge never reads them; `.env.example` lists them so compose and the bridge share one
 * file.
 */
export const COMPOSE_SECTION: SettingsSection = {
  title: 'docker-compose.yml only (docs/DEPLOY.md): the bridge does not read these.',
  settings: {
    BRIDGE_DB_PASSWORD: {
      schema: z.string().default('bridge'),
      secret: true,
      doc: "The password of the bridge's own PostgreSQL; change it before the first `docker compose up`.",
    },
    TEMPORAL_DB_PASSWORD: {
      schema: z.string().default('temporal'),
      secret: true,
      doc: "The password of Temporal's PostgreSQL; change it before the first `docker compose up`.",
    },
    TEMPORAL_RETENTION: {
      schema: z.string().default('30d'),
      doc: 'How long Temporal keeps a finished workflow, and so how long `messages show` and `retry` find a message.',
    },
    BRIDGE_IMAGE_TAG: { schema: z.string().default('latest'), doc: "The bridge image's tag." },
    POSTGRES_VERSION: { schema: z.string().default('16'), doc: 'The PostgreSQL image of both databases.' },
    TEMPORAL_VERSION: { schema: z.string().default('1.30.1'), doc: "Temporal's server and admin-tools images." },
    TEMPORAL_UI_VERSION: { schema: z.string().default('2.34.0'), doc: "Temporal's UI image." },
    CADDY_VERSION: {
      schema: z.string().default('2.11'),
      doc: 'The Caddy image in front of the api (holds the certificate).',
    },
  },
};

/** Every setting by name. */
const allSettings = {
  ...hubspotSettings,
  ...bridgeSettings,
  ...temporalSettings,
  ...inboundSettings,
  ...outboundSettings,
  ...providerSettings,
  ...observabilitySettings,
};
export const SETTINGS: Readonly<Record<string, Setting>> = allSettings;

type Schemas<T extends Record<string, Setting>> = { [K in keyof T]: T[K]['schema'] };
function schemasOf<T extends Record<string, Setting>>(settings: T): Schemas<T> {
  return Object.fromEntries(Object.entries(settings).map(([name, s]) => [name, s.schema])) as Schemas<T>;
}

/** The environment's schema: every setting's validation and default. */
export const envSchema = z.object(schemasOf(allSettings));
