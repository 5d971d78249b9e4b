import { oauthApp, type Config } from '../config.js';
import { createChannelsClient } from '../hubspot/channels.js';
import { HubSpotApiError, toHubSpotError } from '../hubspot/errors.js';
import { OAuthTokenError } from '../hubspot/oauth.js';
import { createTokenProvider, PortalNeedsReinstallError, PortalNotInstalledError } from '../hubspot/tokens.js';
import { SealedSecretError } from '../store/crypto.js';
import type { ConnectionStores } from '../store/types.js';
import type { Redactor } from './redact.js';
import { fail, messageOf, pass, skip, warn, within, type CheckResult } from './types.js';

const TIMEOUT_MS = 10_000;
export const KEY_FIX =
  'BRIDGE_ENCRYPTION_KEY must be the key the store was sealed with (or list that key in BRIDGE_PREVIOUS_ENCRYPTION_KEYS)';

/**
 * The app's credentials as settings: the OAuth client (installs, HubSpot's webhook signatures) and the developer API
 * key.
 */
export function checkHubSpotApp(config: Config): CheckResult[] {
  const { clientId, clientSecret, developerApiKey, appId } = config.hubspot;
  const app =
    clientId && clientSecret
      ? pass(
          'hubspot.app',
          'HubSpot app',
          "HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are set (refreshing each portal's token below proves them)",
        )
      : fail(
          'hubspot.app',
          'HubSpot app',
          `${clientSecret ? 'HUBSPOT_CLIENT_ID' : 'HUBSPOT_CLIENT_SECRET'} is unset: without the client secret the api refuses HubSpot's webhooks, without the client id no portal can install the app`,
          'set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET (your app → Auth)',
        );
  const key =
    developerApiKey && appId
      ? pass(
          'hubspot.developer-key',
          'HubSpot developer API key',
          `set, with app id ${appId} (channel register|update|archive)`,
        )
      : warn(
          'hubspot.developer-key',
          'HubSpot developer API key',
          `${[!developerApiKey && 'HUBSPOT_DEVELOPER_API_KEY', !appId && 'HUBSPOT_APP_ID'].filter(Boolean).join(' and ')} unset: "channel register|update|archive" cannot run and the channel's webhook URL cannot be checked`,
          'set HUBSPOT_DEVELOPER_API_KEY (developer account → Keys → Developer API key) and HUBSPOT_APP_ID where you run those commands',
        );
  return [app, key];
}

/** The registered channel, read with the developer API key: it exists and sends its webhooks to this bridge. */
export async function checkChannel(config: Config): Promise<CheckResult[]> {
  const { baseUrl, channelId, developerApiKey, appId } = config.hubspot;
  const title = 'HubSpot channel';
  const expected = `${config.api.publicUrl}/webhooks/hubspot`;
  if (!developerApiKey || !appId) {
    return [
      skip(
        'hubspot.channel',
        title,
        `not checked without the developer API key: channel ${channelId} must send its webhooks to ${expected}`,
        `set HUBSPOT_DEVELOPER_API_KEY and HUBSPOT_APP_ID to check it, or: channel-bridge channel show ${channelId}`,
      ),
    ];
  }
  let channel;
  try {
    channel = await within(
      TIMEOUT_MS,
      createChannelsClient({ baseUrl, developerApiKey, appId }).get(channelId),
      `HubSpot (${baseUrl})`,
    );
  } catch (error) {
    if (error instanceof HubSpotApiError && error.status === 401) {
      return [
        fail(
          'hubspot.channel',
          title,
          `HubSpot refused the developer API key or app id ${appId} (${error.message})`,
          "check HUBSPOT_DEVELOPER_API_KEY and HUBSPOT_APP_ID (developer account → Keys, and your app's id)",
        ),
      ];
    }
    if (error instanceof HubSpotApiError && error.status === 404) {
      return [
        fail(
          'hubspot.channel',
          title,
          `app ${appId} has no channel ${channelId} (never registered, or archived)`,
          'register it: channel-bridge channel register --config channel.json, then set HUBSPOT_CHANNEL_ID to the id it prints and restart the api and worker',
        ),
      ];
    }
    return [
      fail(
        'hubspot.channel',
        title,
        `cannot read channel ${channelId}: ${messageOf(error)}`,
        `check HUBSPOT_BASE_URL (${baseUrl}) and that HubSpot is reachable from here`,
      ),
    ];
  }
  const results: CheckResult[] = [];
  if (channel.webhookUrl !== expected) {
    const actual = channel.webhookUrl || 'nowhere (no webhookUrl)';
    results.push(
      fail(
        'hubspot.channel',
        title,
        `channel ${channelId} sends HubSpot's webhooks to ${actual}, not to ${expected}: rep replies never reach this bridge`,
        `point it here: channel-bridge channel update ${channelId} --config <file whose webhookUrl is ${expected}>; or, if ${actual} is this bridge, set BRIDGE_PUBLIC_URL to match`,
      ),
    );
  } else {
    results.push(
      pass('hubspot.channel', title, `channel ${channelId} "${channel.name}" sends its webhooks to ${expected}`),
    );
  }
  const connectUrl = `${config.api.publicUrl}/connect`;
  if (channel.channelAccountConnectionRedirectUrl !== connectUrl) {
    results.push(
      warn(
        'hubspot.channel.connect-url',
        'HubSpot channel connect page',
        `"Connect a channel" opens ${channel.channelAccountConnectionRedirectUrl || 'nothing'}, not ${connectUrl}`,
        `set channelAccountConnectionRedirectUrl to ${connectUrl}: channel-bridge channel update ${channelId} --config <file>`,
      ),
    );
  }
  return results;
}

type TokenStore = Pick<ConnectionStores, 'listPortals' | 'getPortalTokens'>;

/**
 * Each installed portal: a token can be had (refreshed now, so a dead refresh token or wrong client secret shows) and
 * HubSpot accepts it for the channel. Read-only: a refreshed token is not saved, nor a dead one marked; the api and
 * worker do that when they meet it. HubSpot keeps earlier access tokens valid until they expire.
 */
export async function checkPortals(config: Config, store: TokenStore, redactor: Redactor): Promise<CheckResult[]> {
  let portals;
  try {
    portals = await store.listPortals();
  } catch (error) {
    return [
      fail(
        'hubspot.portals',
        'HubSpot portals',
        `cannot list the installed portals: ${messageOf(error)}`,
        'check the store (above)',
      ),
    ];
  }
  const results: CheckResult[] = [];
  if (config.hubspot.accessToken)
    results.push(
      await tokenWorks(
        config,
        'hubspot.token',
        'HubSpot token',
        'the single-portal token (HUBSPOT_ACCESS_TOKEN)',
        config.hubspot.accessToken,
      ),
    );
  if (!portals.length && !config.hubspot.accessToken) {
    results.push(
      warn(
        'hubspot.portals',
        'HubSpot portals',
        'no portal has installed the app: nothing can reach an inbox yet',
        `an admin of each portal opens ${config.api.publicUrl}/oauth/install`,
      ),
    );
  }
  const tokens = createTokenProvider({
    store: {
      getPortalTokens: async (portalId) => {
        const found = await store.getPortalTokens(portalId);
        redactor.add(found?.accessToken, found?.refreshToken);
        return found;
      },
      savePortalTokens: async (fresh) => redactor.add(fresh.accessToken, fresh.refreshToken),
      markPortalReinstall: async () => undefined,
    },
    oauth: oauthApp(config),
    // Always refresh: only a refresh proves the refresh token and the client secret.
    refreshMarginSeconds: 100 * 365 * 86_400,
  });
  for (const { portalId } of portals) {
    const id = `hubspot.portal:${portalId}`;
    const title = `HubSpot portal ${portalId}`;
    let token: string;
    try {
      token = await tokens.accessTokenFor(portalId);
    } catch (error) {
      results.push(portalTokenFailure(config, id, title, portalId, error));
      continue;
    }
    results.push(await tokenWorks(config, id, title, `portal ${portalId}'s token (refreshed just now)`, token));
  }
  return results;
}

function portalTokenFailure(config: Config, id: string, title: string, portalId: string, error: unknown): CheckResult {
  const install = `an admin of portal ${portalId} installs the app again: open ${config.api.publicUrl}/oauth/install`;
  if (error instanceof PortalNeedsReinstallError)
    return fail(
      id,
      title,
      `HubSpot refused the portal's refresh token (${error.reason}): nothing of this portal can be published or answered`,
      install,
    );
  if (error instanceof PortalNotInstalledError)
    return fail(
      id,
      title,
      'installed through OAuth, but HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are unset, so its token cannot be refreshed',
      'set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET (your app → Auth)',
    );
  if (error instanceof OAuthTokenError && error.error === 'invalid_client')
    return fail(
      id,
      title,
      `HubSpot refused the app's client id or secret while refreshing the portal's token (${error.description})`,
      'check HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET (your app → Auth)',
    );
  if (error instanceof SealedSecretError)
    return fail(id, title, `cannot open the portal's stored tokens: ${error.message}`, KEY_FIX);
  return fail(
    id,
    title,
    `cannot get a token for the portal: ${messageOf(error)}`,
    `check that HubSpot (${config.hubspot.baseUrl}) is reachable from here, then run doctor again`,
  );
}

/** HubSpot accepts the token for the channel: the cheapest read that needs both (`GET …/channel-accounts`). */
async function tokenWorks(
  config: Config,
  id: string,
  title: string,
  what: string,
  token: string,
): Promise<CheckResult> {
  const { baseUrl, channelId } = config.hubspot;
  try {
    const res = await fetch(
      `${baseUrl}/conversations/v3/custom-channels/${encodeURIComponent(channelId)}/channel-accounts`,
      {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      },
    );
    if (res.ok) return pass(id, title, `${what} reads channel ${channelId}'s accounts`);
    const error = await toHubSpotError(res);
    const fix =
      res.status === 401 || res.status === 403
        ? `install the app again in that portal (${config.api.publicUrl}/oauth/install) so it grants the channel scopes, or replace the token`
        : `check HUBSPOT_CHANNEL_ID (${channelId}) and HUBSPOT_BASE_URL (${baseUrl})`;
    return fail(id, title, `HubSpot refused ${what}: ${error.message}`, fix);
  } catch (error) {
    return fail(
      id,
      title,
      `cannot reach HubSpot at ${baseUrl} with ${what}: ${messageOf(error)}`,
      `check HUBSPOT_BASE_URL (${baseUrl}) and that HubSpot is reachable from here`,
    );
  }
}
