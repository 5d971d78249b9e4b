import { Router } from 'express';
import { notFound } from '../errors.js';
import type { HubSpotSandboxState } from '../state.js';
import { DEFAULT_ROUTING, inboxStateOf } from './inbox-state.js';
import { routingSummary } from './settings-routing.js';

/** What the connect flow's page knows of one "Connect a channel" attempt, by its staging token. */
export interface ConnectAttempt {
  readonly accountToken: string;
  readonly channelId: string;
  /** Set once the admin finished in the channel's window and HubSpot created the account. */
  readonly account?: {
    readonly id: string;
    readonly name: string;
    readonly inboxId: string;
    readonly inboxName: string;
    readonly routing: string;
  };
}

/**
 * `GET /_sandbox/inbox/connect/{accountToken}`: the settings page polls it while the channel's connection window is
 * open, closes that window once the account exists, and goes on to the routing step. 404 for an unknown token.
 */
export function connectRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  router.get('/_sandbox/inbox/connect/:accountToken', function connectAttempt(req, res) {
    const token = state.stagingTokens.get(req.params.accountToken);
    if (!token) throw notFound(`Staging token ${req.params.accountToken}`);
    const account = token.channelAccountId ? state.channelAccounts.get(token.channelAccountId) : undefined;
    const inbox = account ? state.inboxes.get(account.inboxId) : undefined;
    const attempt: ConnectAttempt = {
      accountToken: token.accountToken,
      channelId: token.channelId,
      ...(account
        ? {
            account: {
              id: account.id,
              name: account.name,
              inboxId: account.inboxId,
              inboxName: inbox?.name ?? account.inboxId,
              routing: routingSummary(state, inboxStateOf(state).routing.get(account.id) ?? DEFAULT_ROUTING),
            },
          }
        : {}),
    };
    res.set('cache-control', 'no-store').json(attempt);
  });
  return router;
}
