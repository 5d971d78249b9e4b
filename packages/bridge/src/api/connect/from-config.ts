import { oauthApp, type Config } from '../../config.js';
import { createChannelAccountsClient } from '../../hubspot/channel-accounts.js';
import { DEFAULT_SCOPES } from '../../hubspot/oauth.js';
import { createTokenProvider } from '../../hubspot/tokens.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/types.js';
import type { ConnectDeps } from './deps.js';
import { stateKeyFrom } from './oauth-state.js';

/** The server entrypoint's wiring of the install flow and the connection page. */
export function connectDepsFromConfig(config: Config, store: Store, logger: Logger): ConnectDeps {
  const app = oauthApp(config);
  const tokens = createTokenProvider({ store, staticToken: config.hubspot.accessToken, oauth: app });
  return {
    store,
    logger,
    publicUrl: config.api.publicUrl,
    stateKey: stateKeyFrom(config.store.encryptionKey),
    ...(app ? { oauth: { app, authorizeUrl: config.hubspot.authorizeUrl, scopes: DEFAULT_SCOPES } } : {}),
    tokens,
    channelAccounts: createChannelAccountsClient({
      baseUrl: config.hubspot.baseUrl,
      channelId: config.hubspot.channelId,
      accessTokenFor: tokens.accessTokenFor,
    }),
    channelId: config.hubspot.channelId,
    providers: config.providers.settings,
  };
}
