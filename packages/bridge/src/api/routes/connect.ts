import { randomBytes } from 'node:crypto';
import { Router, type Response } from 'express';
import { isProviderKind, providerModules } from '../../providers/registry.js';
import type { ConnectDeps } from '../connect/deps.js';
import { ConnectError, hubspotConnectError } from '../connect/errors.js';
import { connectedPage, connectForm, errorPage, type ConnectContext } from '../connect/pages.js';
import { setUpProvider } from '../connect/providers.js';
import { CONNECTION_ID_PREFIX } from '../connect/webhook-alias.js';
import { formBody } from '../middleware/raw-body.js';

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

function contextFrom(source: Record<string, unknown>): ConnectContext {
  const accountToken = str(source.accountToken);
  const portalId = str(source.portalId);
  if (!accountToken || !portalId || !/^\d+$/.test(portalId)) {
    throw new ConnectError(
      400,
      'This page must be opened from HubSpot: Inbox settings → Channels → Connect a channel (the link carries accountToken and portalId).',
    );
  }
  const redirectUrl = str(source.redirectUrl);
  return { accountToken, portalId, ...(redirectUrl ? { redirectUrl } : {}) };
}

/** "A, B or another service": the choices of the page's forms, from the registry. */
function pickList(): string {
  const choices = providerModules().flatMap((m) => (m.connect ? [m.connect.choice] : []));
  return choices.length > 1 ? `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}` : (choices[0] ?? 'a provider');
}

function send(res: Response, status: number, body: string): void {
  // The pages may show a generated secret: never cache them.
  res.status(status).set('cache-control', 'no-store').type('html').send(body);
}

/**
 * The `channelAccountConnectionRedirectUrl` page (the connection setup flow in
 * https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/guide). An admin action, not a
 * webhook: it calls
 * the provider and HubSpot while the admin waits, because the admin must see at once whether the credentials work.
 * Order, so nothing is left half-connected: check credentials → set the provider webhook → store the connection as
 * pending (sealed) → PATCH the staging token. Any failure undoes the earlier steps.
 */
export function connectRouter(deps: ConnectDeps): Router {
  const router = Router();

  router.get('/connect', async function connectPage(req, res) {
    let ctx: ConnectContext | undefined;
    try {
      ctx = contextFrom(req.query as Record<string, unknown>);
      await deps.tokens.accessTokenFor(ctx.portalId);
      send(res, 200, connectForm(ctx));
    } catch (error) {
      const failure = hubspotConnectError(error, ctx?.portalId ?? '?');
      deps.logger.warn({ status: failure.status, reason: failure.message }, 'connection page refused');
      send(res, failure.status, errorPage('Cannot connect', failure.message));
    }
  });

  router.post('/connect', formBody(16 * 1024), async function connect(req, res) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    let ctx: ConnectContext | undefined;
    try {
      ctx = contextFrom(body);
      const provider = str(body.provider);
      if (!provider || !isProviderKind(provider)) throw new ConnectError(400, `Pick ${pickList()}.`);
      await deps.tokens.accessTokenFor(ctx.portalId);
      const connectionId = `${CONNECTION_ID_PREFIX}${randomBytes(12).toString('base64url')}`;
      const setup = await setUpProvider(deps, provider, connectionId, body);
      try {
        await deps.store.addPendingConnection(
          {
            connectionId,
            portalId: ctx.portalId,
            channelId: deps.channelId,
            provider,
            name: setup.accountName,
            deliveryIdentifier: setup.deliveryIdentifier,
          },
          setup.credentials,
        );
        await deps.channelAccounts.updateStagingToken(ctx.portalId, ctx.accountToken, {
          accountName: setup.accountName,
          deliveryIdentifier: setup.deliveryIdentifier,
        });
      } catch (error) {
        // Takes back the webhook (only while it is still this connection's), then the pending row and the claim.
        await setup.undo();
        throw error;
      }
      deps.logger.info(
        { portalId: ctx.portalId, provider, connectionId },
        'connection pending until HubSpot creates the account',
      );
      send(res, 200, connectedPage(setup, ctx));
    } catch (error) {
      const failure = hubspotConnectError(error, ctx?.portalId ?? '?');
      deps.logger.warn(
        { status: failure.status, reason: failure.message, portalId: ctx?.portalId },
        'connection refused',
      );
      send(res, failure.status, errorPage('Not connected', failure.message, ctx));
    }
  });
  return router;
}
