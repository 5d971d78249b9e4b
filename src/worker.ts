import { NativeConnection } from '@temporalio/worker';
import { loadConfig, oauthApp } from './config.js';
import { createHubSpotClient } from './hubspot/client.js';
import { createHubSpotOutboundClient } from './hubspot/status.js';
import { createChannelAccountsClient } from './hubspot/channel-accounts.js';
import { createTokenProvider } from './hubspot/tokens.js';
import { createLogger } from './logger.js';
import { exitOnConfigError, onShutdown } from './process.js';
import { openSqliteStore } from './store/sqlite.js';
import { openPostgresStore } from './store/postgres.js';
import { installTemporalRuntime } from './temporal/runtime.js';
import { createBridgeWorker } from './temporal/worker.js';
import { metricsActivityInterceptor } from './metrics/activity-interceptor.js';
import { serveMetrics } from './metrics/serve.js';
import { createWorkerMetrics } from './metrics/worker-metrics.js';
import { tracingFromConfig } from './tracing/from-config.js';
import { tracedBundlePath, workerTracing } from './tracing/worker.js';

const config = exitOnConfigError(() => loadConfig());
const logger = createLogger('worker', config.logLevel);
// The SDK's worker metrics stay on loopback; the worker's /metrics appends them (issue 8).
const sdkMetricsAddress = config.metrics.sdkPort ? `127.0.0.1:${config.metrics.sdkPort}` : undefined;
installTemporalRuntime(logger, 'INFO', { metricsBindAddress: sdkMetricsAddress });
const metrics = createWorkerMetrics();
// Tracing needs its interceptors inside the workflow bundle, so it bundles its own (WORKFLOW_BUNDLE_PATH is not used).
const tracing = tracingFromConfig(config.tracing, 'channel-bridge-worker');
const traced = tracing ? workerTracing(tracing) : undefined;
const { databaseUrl, sqlitePath, encryptionKey, previousEncryptionKeys } = config.store;
const store = databaseUrl ? await openPostgresStore({ url: databaseUrl, encryptionKey, previousEncryptionKeys }) : openSqliteStore({ path: sqlitePath, encryptionKey, previousEncryptionKeys });
// Installed portals' OAuth tokens (refreshed before expiry); HUBSPOT_ACCESS_TOKEN for any other portal (single-portal mode).
const tokens = createTokenProvider({ store, staticToken: config.hubspot.accessToken, oauth: oauthApp(config) });
const hubspot = createHubSpotClient({
  baseUrl: config.hubspot.baseUrl,
  channelId: config.hubspot.channelId,
  accessTokenFor: tokens.accessTokenFor,
});
const connection = await NativeConnection.connect({ address: config.temporal.address, ...config.temporal.connection });
const worker = await createBridgeWorker({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  deps: {
    store,
    hubspot,
    hubspotOutbound: createHubSpotOutboundClient({ baseUrl: config.hubspot.baseUrl, accessTokenFor: tokens.accessTokenFor, filePolicy: { allowPrivateHosts: config.providers.allowPrivateMediaHosts } }),
    providerEndpoints: config.providers,
    inbound: { rateLimit: { max: config.hubspot.rateLimitPer10s, intervalMs: 10_000 }, threads: config.inbound.threads, media: { maxBytes: config.inbound.maxMediaBytes } },
    channelAccounts: createChannelAccountsClient({ baseUrl: config.hubspot.baseUrl, channelId: config.hubspot.channelId, accessTokenFor: tokens.accessTokenFor }),
    pacing: config.outbound.pacing,
  },
  workflowBundlePath: tracing ? await tracedBundlePath() : config.temporal.workflowBundlePath,
  maxCachedWorkflows: config.temporal.maxCachedWorkflows,
  activityInterceptors: [metricsActivityInterceptor(metrics, logger), ...(traced?.activityInterceptors ?? [])],
  sinks: traced?.sinks,
});

const metricsServer = config.metrics.workerPort === 0 ? undefined : await serveMetrics({
  registry: metrics.registry,
  host: config.metrics.workerHost,
  port: config.metrics.workerPort,
  sdkMetricsUrl: sdkMetricsAddress && `http://${sdkMetricsAddress}/metrics`,
});
if (metricsServer) logger.info({ url: metricsServer.url }, 'worker metrics');

onShutdown(logger, async () => {
  worker.shutdown();
  await metricsServer?.close();
  await tracing?.shutdown();
});
logger.info({ taskQueue: config.temporal.taskQueue }, 'worker polling');
await worker.run();
await connection.close();
await store.close();
process.exit(0);
