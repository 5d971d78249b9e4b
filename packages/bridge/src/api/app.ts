import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type { Logger } from '../logger.js';
import type { Store } from '../store/types.js';
import { HttpError } from './http-error.js';
import { errorHandler } from './middleware/error-handler.js';
import { requestLog } from './middleware/request-log.js';
import { providerWebhookRouter } from './routes/provider-webhook.js';
import { healthRouter } from './routes/health.js';
import type { InboundWorkflowOptions } from '../workflows/inbound-message.js';
import { startInboundWorkflow } from './start-inbound.js';
import { StartsBehindAnswers } from './start-in-line.js';
import { DEFAULT_OUTBOUND_POLICY, type OutboundPolicy } from '../domain/outbound.js';
import { handleAccountEvent } from './account-events.js';
import { routeReceipt } from './route-receipt.js';
import { hubSpotWebhookRouter } from './routes/hubspot-webhook.js';
import { startOutboundWorkflow } from './start-outbound.js';
import { adminRouter } from './routes/admin.js';
import { consoleRouter } from './console/index.js';
import { createApiMetrics, metricsHandler, observeWebhooks, type ApiMetrics } from '../metrics/api-metrics.js';
import type { Tracer } from '@opentelemetry/api';
import { traceWebhooks } from '../tracing/webhook-spans.js';
import type { ConnectDeps } from './connect/deps.js';
import { connectionWebhookAlias } from './connect/webhook-alias.js';
import { connectAdminRouter } from './routes/connect-admin.js';
import { connectRouter } from './routes/connect.js';
import { oauthRouter } from './routes/oauth.js';
import type { CatchUp } from './catch-up.js';
import { replyLineKey } from '../domain/outbound-chat.js';
import { deadLetterStoreOf, type DeadLetterRetention } from './dead-letters.js';
import { hubSpotEventHandler, type HubSpotEventDeps } from './hubspot-events.js';
import type { MediaLinks } from '../media-links/index.js';
import { mediaLinksRouter } from './routes/media-links.js';
import type { Admission } from './admission.js';
import { admitWebhooks } from './shed-webhook.js';
import { shedUnreadWhileLate, type LoopLateness } from './shed-unread.js';
import type { MessageWorkflowTypes } from '../domain/workflow-types.js';

export interface AppDeps {
  readonly store: Store;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** Resolves when Temporal answers a health check. */
  readonly checkTemporal: () => Promise<unknown>;
  /** Durations of inbound message workflows (hold limit); defaults in src/workflows/inbound-message.ts. */
  readonly inboundWorkflow?: InboundWorkflowOptions;
  /**
   * The workflow types messages start as; the current ones (INBOUND_WORKFLOW_TYPE, OUTBOUND_WORKFLOW_TYPE) unless an
   * upgrade test, or a recording of an earlier version's runs, starts them as that version's api did.
   */
  readonly workflowTypes?: MessageWorkflowTypes;
  /**
   * POST /webhooks/hubspot: the URL HubSpot signs (publicUrl + '/webhooks/hubspot'), the app's client secret, outbound
   * policy.
   */
  readonly hubspotWebhook?: { readonly url: string; readonly clientSecret?: string; readonly policy?: OutboundPolicy };
  /** The install flow and the connection page; without it neither is served. */
  readonly connect?: ConnectDeps;
  /** BRIDGE_ADMIN_TOKEN for /admin/*; unset means they are refused. */
  readonly adminToken?: string;
  /** /admin/messages: the namespace and Temporal UI base for links. @default default, http://localhost:8233 */
  readonly inspect?: { readonly namespace: string; readonly uiUrl: string };
  /** GET /metrics; one is made when not given. */
  readonly metrics?: ApiMetrics;
  /** Set when tracing is on (BRIDGE_TRACING): a span per webhook, parent of the workflow start. */
  readonly tracer?: Tracer;
  /** Holds the lines of refused senders while they catch up, so their retries land in order; none without it. */
  readonly catchUp?: CatchUp;
  /**
   * How many unusable HubSpot events are kept for a replay, and for how long. @default DEFAULT_DEAD_LETTER_RETENTION
   */
  readonly deadLetterRetention?: DeadLetterRetention;
  /** BRIDGE_PUBLIC_URL: provider webhooks carry the public URL they were sent to (RawWebhook `url`). */
  readonly publicUrl?: string;
  /** Serves the worker's signed links to outbound files (GET /media-links/…); without it none are served. */
  readonly mediaLinks?: MediaLinks;
  /**
   * Admission control of the webhooks (BRIDGE_WEBHOOK_SHED_AFTER_SECONDS): past its bound, an understood webhook is
   * answered 503 with `Retry-After` and its lines held (src/api/shed-webhook.ts). Without it every webhook is let in.
   */
  readonly admission?: Admission;
  /**
   * Before that, while the event loop itself runs more than `boundMs` late, a webhook of a provider that retries
   * refusals is answered 503 unread (src/api/shed-unread.ts). Without it every webhook is read.
   */
  readonly shedUnread?: { readonly loop: LoopLateness; readonly boundMs: number };
  /**
   * How long a provider webhook's answer waits for its message's workflow start (BRIDGE_WEBHOOK_START_WAIT_MS); the
   * message is durable in the store before, and a start still running goes on behind the answer. Unset: it waits.
   */
  readonly webhookStartWaitMs?: number;
}

/** Starts a message's workflow; when that is refused (503), its sender will retry, so its line is held meanwhile. */
async function holdingLineOnRefusal<T>(
  catchUp: CatchUp | undefined,
  lineKey: string | undefined,
  start: () => Promise<T>,
): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (catchUp && lineKey && error instanceof HttpError && error.status === 503)
      await catchUp.refusedLine(lineKey, error.message);
    throw error;
  }
}

/** The thin webhook api. It never calls HubSpot or a provider on the request path. No `listen` here. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(deps.logger)); // first: every request gets its id, log context and access line
  const metrics = deps.metrics ?? createApiMetrics(deps.temporal);
  app.use(observeWebhooks(metrics));
  if (deps.catchUp) app.use(deps.catchUp.refusalWatcher());
  if (deps.tracer) app.use(traceWebhooks(deps.tracer));
  app.get('/metrics', metricsHandler(metrics));
  app.use(
    healthRouter([
      { name: 'temporal', check: async () => void (await deps.checkTemporal()) },
      { name: 'store', check: () => deps.store.ping() },
    ]),
  );
  // Provider webhooks set up before HubSpot numbered the account point at their connection id: map it first.
  app.use(connectionWebhookAlias(deps.store));
  // Then, cheapest of all, a flood the loop cannot keep up with is refused before it is read.
  if (deps.shedUnread && deps.shedUnread.boundMs > 0)
    app.post('/webhooks/:provider/:accountId', shedUnreadWhileLate(deps.shedUnread.loop, deps.shedUnread.boundMs));
  // Only the webhooks: health, admin, console and media links are never shed.
  const admit = deps.admission ? admitWebhooks(deps.admission, deps.catchUp) : undefined;
  const behindAnswers = new StartsBehindAnswers();
  app.use(
    providerWebhookRouter({
      store: deps.store,
      logger: deps.logger,
      maxBodyBytes: deps.maxBodyBytes,
      startInbound: (message, webhook) =>
        holdingLineOnRefusal(deps.catchUp, message.conversationKey, () =>
          startInboundWorkflow(deps.temporal, deps.taskQueue, message, {
            store: deps.store,
            webhook,
            options: deps.inboundWorkflow ?? {},
            ...(deps.workflowTypes ? { workflowType: deps.workflowTypes.inbound } : {}),
            answerWithinMs: deps.webhookStartWaitMs,
            behindAnswers,
            onLateStartFailure: (messageKey, error) =>
              deps.logger.warn(
                { messageKey, err: error },
                'a start the answer did not wait for failed; it is kept with the message, for the sweeper',
              ),
          }),
        ),
      routeReceipt: (accountId, receipt) => routeReceipt(deps, accountId, receipt),
      countIgnored: (provider, code) => metrics.ignored.inc({ provider, code }),
      publicUrl: deps.publicUrl,
      admit,
    }),
  );
  // Providers that download reply files themselves fetch them here (an MMS's media, files over an inline limit).
  if (deps.mediaLinks) app.use(mediaLinksRouter(deps.mediaLinks));
  // One handling for a HubSpot event, whether a webhook brings it or an operator replays its dead letter.
  const hubspotEvents: HubSpotEventDeps = {
    logger: deps.logger,
    policy: deps.hubspotWebhook?.policy ?? DEFAULT_OUTBOUND_POLICY,
    startOutbound: (request) =>
      holdingLineOnRefusal(deps.catchUp, replyLineKey(request), () =>
        startOutboundWorkflow(deps.temporal, deps.taskQueue, request, deps.store, deps.workflowTypes?.outbound),
      ),
    onAccountEvent: (event) => handleAccountEvent(event, deps),
  };
  const deadLetters = deadLetterStoreOf(deps.store);
  app.use(
    hubSpotWebhookRouter({
      ...hubspotEvents,
      maxBodyBytes: deps.maxBodyBytes,
      webhookUrl: deps.hubspotWebhook?.url ?? '',
      clientSecret: deps.hubspotWebhook?.clientSecret,
      countDeadLettered: (type) => metrics.deadLettered.inc({ type }),
      deadLetters,
      deadLetterRetention: deps.deadLetterRetention,
      admit,
    }),
  );
  if (deps.connect) app.use(oauthRouter(deps.connect), connectRouter(deps.connect));
  app.use(connectAdminRouter(deps.store, deps.adminToken));
  app.use(
    adminRouter({
      client: deps.temporal,
      token: deps.adminToken,
      namespace: deps.inspect?.namespace ?? 'default',
      uiUrl: deps.inspect?.uiUrl ?? 'http://localhost:8233',
      mappings: deps.store,
      deadLetters: {
        store: deadLetters,
        handleHubSpotEvent: hubSpotEventHandler(hubspotEvents),
        logger: deps.logger,
        retention: deps.deadLetterRetention,
      },
    }),
  );
  app.use(consoleRouter(deps)); // the operator's console, behind the admin token (docs/CONSOLE.md)
  app.use(function notFound(req, _res, next) {
    next(new HttpError(404, `no route for ${req.method} ${req.path}`));
  });
  app.use(errorHandler(deps.logger));
  return app;
}
