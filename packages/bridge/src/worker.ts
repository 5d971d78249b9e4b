import { NativeConnection, type Worker } from '@temporalio/worker';
import { loadConfig, oauthApp } from './config.js';
import { createHubSpotClient } from './hubspot/client.js';
import { createHubSpotOutboundClient } from './hubspot/status.js';
import { createChannelAccountsClient } from './hubspot/channel-accounts.js';
import { createTokenProvider } from './hubspot/tokens.js';
import { createLogger } from './logger.js';
import { serveWorkerHealth, workerReadiness } from './health/worker-health.js';
import { exitOnConfigError, onShutdown } from './process.js';
import { openSqliteStore } from './store/sqlite.js';
import { openPostgresStore } from './store/postgres.js';
import { prebuiltWorkflowBundlePath } from './temporal/prebuilt-bundle.js';
import { installTemporalRuntime } from './temporal/runtime.js';
import { createBridgeWorker, FORCE_AFTER_GRACE_MS } from './temporal/worker.js';
import { metricsActivityInterceptor } from './metrics/activity-interceptor.js';
import { serveMetrics } from './metrics/serve.js';
import { createWorkerMetrics } from './metrics/worker-metrics.js';
import { tracingFromConfig } from './tracing/from-config.js';
import { tracedBundlePath, workerTracing } from './tracing/worker.js';
import { createMediaLinks, mediaLinkSecret } from './media-links/index.js';

const config = exitOnConfigError(() => loadConfig());
const logger = createLogger('worker', config.logLevel);
// The SDK's worker metrics stay on loopback; the worker's /metrics appends them.
const sdkMetricsAddress = config.metrics.sdkPort ? `127.0.0.1:${config.metrics.sdkPort}` : undefined;
installTemporalRuntime(logger, 'INFO', { metricsBindAddress: sdkMetricsAddress });
const metrics = createWorkerMetrics();
// Probes answer from the start: /readyz is 503 "starting" while the worker bundles and connects.
let created: Worker | undefined;
const { workerHost, workerPort } = config.health;
const health =
  workerPort === 0
    ? undefined
    : await serveWorkerHealth({
        host: workerHost,
        port: workerPort,
        readiness: () => workerReadiness(created?.getState()),
      });
if (health) logger.info({ url: health.url }, 'worker health');
const { graceMs } = config.shutdown;
// Tracing needs its interceptors inside the workflow bundle, so it bundles its own (WORKFLOW_BUNDLE_PATH is not used).
const tracing = tracingFromConfig(config.tracing, 'channel-bridge-worker');
const traced = tracing ? workerTracing(tracing) : undefined;
const { databaseUrl, sqlitePath, encryptionKey, previousEncryptionKeys } = config.store;
const store = databaseUrl
  ? await openPostgresStore({ url: databaseUrl, encryptionKey, previousEncryptionKeys })
  : openSqliteStore({ path: sqlitePath, encryptionKey, previousEncryptionKeys });
// Installed portals' OAuth tokens (refreshed before expiry); HUBSPOT_ACCESS_TOKEN for any other portal (single-portal
// mode).
const tokens = createTokenProvider({ store, staticToken: config.hubspot.accessToken, oauth: oauthApp(config) });
const hubspot = createHubSpotClient({
  baseUrl: config.hubspot.baseUrl,
  channelId: config.hubspot.channelId,
  accessTokenFor: tokens.accessTokenFor,
});
// Reply files providers download themselves (an MMS's media, files over an inline limit); the api serves them
// (src/server.ts).
const mediaLinks = createMediaLinks({ store, secret: mediaLinkSecret(encryptionKey), publicUrl: config.api.publicUrl });
const connection = await NativeConnection.connect({ address: config.temporal.address, ...config.temporal.connection });
const worker = await createBridgeWorker({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  deps: {
    store,
    hubspot,
    hubspotOutbound: createHubSpotOutboundClient({
      baseUrl: config.hubspot.baseUrl,
      accessTokenFor: tokens.accessTokenFor,
      filePolicy: { allowPrivateHosts: config.providers.allowPrivateMediaHosts },
    }),
    providerEndpoints: { ...config.providers, mediaUrlFor: mediaLinks.link },
    inbound: {
      rateLimit: { max: config.hubspot.rateLimitPer10s, intervalMs: 10_000 },
      threads: config.inbound.threads,
      media: { maxBytes: config.inbound.maxMediaBytes },
    },
    channelAccounts: createChannelAccountsClient({
      baseUrl: config.hubspot.baseUrl,
      channelId: config.hubspot.channelId,
      accessTokenFor: tokens.accessTokenFor,
    }),
    pacing: config.outbound.pacing,
    hubspotRequests: metrics.hubspotRequests,
  },
  // A build (npm run build) bundled the workflows once; under tsx they are bundled here.
  workflowBundlePath: tracing
    ? (prebuiltWorkflowBundlePath({ traced: true }) ?? (await tracedBundlePath()))
    : (config.temporal.workflowBundlePath ?? prebuiltWorkflowBundlePath()),
  maxCachedWorkflows: config.temporal.maxCachedWorkflows,
  activityInterceptors: [metricsActivityInterceptor(metrics, logger), ...(traced?.activityInterceptors ?? [])],
  sinks: traced?.sinks,
  shutdownGraceMs: graceMs,
});
created = worker;

const metricsServer =
  config.metrics.workerPort === 0
    ? undefined
    : await serveMetrics({
        registry: metrics.registry,
        host: config.metrics.workerHost,
        port: config.metrics.workerPort,
        sdkMetricsUrl: sdkMetricsAddress && `http://${sdkMetricsAddress}/metrics`,
      });
if (metricsServer) logger.info({ url: metricsServer.url }, 'worker metrics');

// SIGTERM: stop polling (so /readyz turns 503), let in-flight activities finish within the grace (the SDK cancels
// the rest and their retries run elsewhere), and close what they used only once run() has resolved.
const running = worker.run();
logger.info({ taskQueue: config.temporal.taskQueue, graceMs }, 'worker polling');
const finished = running.finally(async () => {
  await health?.close();
  await metricsServer?.close();
  await connection.close();
  await store.close();
  await tracing?.shutdown();
});
let drainStarted: number | undefined;
onShutdown(
  logger,
  async () => {
    drainStarted = Date.now();
    // The SDK's own handler for the same signal may have begun the shutdown already.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    let timer: NodeJS.Timeout | undefined;
    const givenUp = new Promise<true>(
      (resolve) => (timer = setTimeout(() => resolve(true), graceMs + FORCE_AFTER_GRACE_MS)),
    );
    if ((await Promise.race([finished, givenUp])) === true) {
      // An activity ignored the SDK's cancellation: exiting abandons its attempt, retried elsewhere after its heartbeat
      // timeout.
      logger.warn(
        { graceMs, forceAfterMs: FORCE_AFTER_GRACE_MS, state: worker.getState() },
        'grace over: left behind activities that ignored their cancellation',
      );
    }
    clearTimeout(timer);
  },
  { deadlineMs: graceMs + FORCE_AFTER_GRACE_MS + 5_000 },
);
try {
  await finished;
} catch (error) {
  logger.error({ err: error }, 'worker stopped with an error');
  process.exit(1);
}
logger.info({ drainMs: drainStarted === undefined ? undefined : Date.now() - drainStarted }, 'worker stopped');
process.exit(0);
