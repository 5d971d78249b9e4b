import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type { Logger } from '../logger.js';
import type { Store } from '../store/types.js';
import { HttpError } from './http-error.js';
import { errorHandler } from './middleware/error-handler.js';
import { providerWebhookRouter } from './routes/provider-webhook.js';
import { healthRouter } from './routes/health.js';
import { startInboundWorkflow } from './start-inbound.js';

export interface AppDeps {
  readonly store: Store;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** Resolves when Temporal answers a health check. */
  readonly checkTemporal: () => Promise<unknown>;
}

/** The thin webhook api. It never calls HubSpot or a provider on the request path. No `listen` here. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    healthRouter([
      { name: 'temporal', check: async () => void (await deps.checkTemporal()) },
      { name: 'store', check: () => deps.store.ping() },
    ]),
  );
  app.use(
    providerWebhookRouter({
      store: deps.store,
      logger: deps.logger,
      maxBodyBytes: deps.maxBodyBytes,
      startInbound: (message) => startInboundWorkflow(deps.temporal, deps.taskQueue, message),
    }),
  );
  app.use(function notFound(req, _res, next) {
    next(new HttpError(404, `no route for ${req.method} ${req.path}`));
  });
  app.use(errorHandler(deps.logger));
  return app;
}
