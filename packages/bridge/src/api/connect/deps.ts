import type { ChannelAccountsClient } from '../../hubspot/channel-accounts.js';
import type { OAuthApp } from '../../hubspot/oauth.js';
import type { TokenProvider } from '../../hubspot/tokens.js';
import type { Logger } from '../../logger.js';
import type { ProviderSettingsByKind } from '../../providers/registry.js';
import type { Store } from '../../store/types.js';

/** What the install flow and the connection page need. Built once by the server entrypoint. */
export interface ConnectDeps {
  readonly store: Store;
  readonly logger: Logger;
  /** The bridge's public base URL: provider webhooks point here. */
  readonly publicUrl: string;
  /** Signs install `state` values (see oauth-state.ts). */
  readonly stateKey: Buffer;
  /** The OAuth app; without it the bridge runs in single-portal mode and /oauth/* answers 404. */
  readonly oauth?: { readonly app: OAuthApp; readonly authorizeUrl: string; readonly scopes: readonly string[] };
  readonly tokens: Pick<TokenProvider, 'accessTokenFor' | 'saveInstall'>;
  readonly channelAccounts: ChannelAccountsClient;
  readonly channelId: string;
  /** Each provider's settings by kind (its API base URL…); a missing kind gets its defaults. */
  readonly providers: Partial<ProviderSettingsByKind>;
  readonly fetch?: typeof fetch;
}
