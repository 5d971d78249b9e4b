import { Client, Connection } from '@temporalio/client';
import { createApp } from './api/app.js';
import { closeGracefully, createHttpServer } from './api/http-server.js';
import { CatchUp } from './api/catch-up.js';
import { Admission, loopLateBoundMs } from './api/admission.js';
import { LoopLag } from './api/loop-lag.js';
import { sweepEvery } from './api/start-sweeper.js';
import { connectDepsFromConfig } from './api/connect/from-config.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { openSqliteStore } from './store/sqlite.js';
import { openPostgresStore } from './store/postgres.js';
import { Drain, withDrainingReadiness } from './health/drain.js';
import { exitOnConfigError, onShutdown } from './process.js';
import { clientTracingInterceptors, tracingFromConfig } from './tracing/from-config.js';
import { createMediaLinks, mediaLinkSecret } from './media-links/index.js';

const config = exitOnConfigError(() => loadConfig());
const logger = createLogger('api', config.logLevel);
const tracing = tracingFromConfig(config.tracing, 'channel-bridge-api');
const { databaseUrl, sqlitePath, encryptionKey, previousEncryptionKeys } = config.store;
const store = databaseUrl
  ? await openPostgresStore({ url: databaseUrl, encryptionKey, previousEncryptionKeys })
  : openSqliteStore({ path: sqlitePath, encryptionKey, previousEncryptionKeys });
// Lazy, so the api starts and answers /readyz 503 while Temporal is down instead of crashing.
const connection = Connection.lazy({ address: config.temporal.address, ...config.temporal.connection });
const temporal = new Client({
  connection,
  namespace: config.temporal.namespace,
  interceptors: { workflow: clientTracingInterceptors(tracing) },
});
const catchUp = new CatchUp(config.catchUpMs, store, logger);
const loopLag = new LoopLag();
const stopLoopLag = loopLag.start();
const stopPresence = await catchUp.watchPresence({ afterSilence: !config.sendersStartWithApi });
const app = createApp({
  store,
  temporal,
  taskQueue: config.temporal.taskQueue,
  logger,
  maxBodyBytes: config.api.maxBodyBytes,
  checkTemporal: () => connection.healthService.check({}),
  inboundWorkflow: { holdLimitMs: config.inbound.holdLimitMs },
  inspect: { namespace: config.temporal.namespace, uiUrl: config.temporal.uiUrl },
  tracer: tracing?.tracer,
  hubspotWebhook: {
    url: `${config.api.publicUrl}/webhooks/hubspot`,
    clientSecret: config.hubspot.clientSecret,
    policy: { deliveryWindowMs: config.outbound.deliveryWindowMs, receiptWaitMs: config.outbound.receiptWaitMs },
  },
  connect: connectDepsFromConfig(config, store, logger),
  adminToken: config.adminToken,
  catchUp,
  admission: new Admission({ shedAfterMs: config.api.shedAfterMs }),
  shedUnread: { loop: loopLag, boundMs: loopLateBoundMs(config.api.shedAfterMs) },
  webhookStartWaitMs: config.api.startWaitMs,
  ...(config.api.workflowTypes ? { workflowTypes: config.api.workflowTypes } : {}),
  publicUrl: config.api.publicUrl,
  // The worker makes the links with the same store and secret (src/worker.ts); this process serves them.
  mediaLinks: createMediaLinks({ store, secret: mediaLinkSecret(encryptionKey), publicUrl: config.api.publicUrl }),
});

// Slow clients must not hold a connection open: headers within 10 s, the whole request within 30 s.
// Starts an api answered for and never made (it died meanwhile), whichever api that was.
const stopSweeping = sweepEvery({ client: temporal, store, logger });
const drain = new Drain();
const server = createHttpServer(withDrainingReadiness(drain, app)).listen(config.api.port, config.api.host, () => {
  logger.info({ url: `http://${config.api.host}:${config.api.port}` }, 'api listening');
});

// SIGTERM: /readyz turns 503, no new connections, in-flight webhooks finish (they need Temporal and the store, so
// those close last), and whatever still runs when the grace is over is cut.
const { graceMs } = config.shutdown;
onShutdown(
  logger,
  async () => {
    drain.begin('shutting down');
    const closed = await closeGracefully(server, graceMs);
    if (closed.cut > 0) logger.warn({ ...closed, graceMs }, 'grace over: cut requests still in flight');
    else logger.info({ ...closed, graceMs }, 'in-flight requests finished');
    stopPresence();
    stopSweeping();
    stopLoopLag();
    await connection.close();
    await store.close();
    await tracing?.shutdown();
  },
  { deadlineMs: graceMs + 10_000 },
);
