import { Client } from '@hubspot/api-client';
import { toHubSpotError } from './errors.js';

/**
 * The fields of `PublicChannelIntegrationChannelCreate`
 * (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/channels/create-custom-channel).
 */
export interface ChannelDefinition {
  readonly name: string;
  readonly channelDescription?: string;
  readonly channelLogoUrl?: string;
  readonly webhookUrl: string;
  readonly channelAccountConnectionRedirectUrl: string;
  readonly capabilities: Readonly<Record<string, unknown>>;
}

/** `PublicChannelIntegrationChannel`: the definition plus its id. */
export interface RegisteredChannel extends ChannelDefinition {
  readonly id: string;
  readonly createdAt?: string;
}

export interface DeveloperCredentials {
  readonly baseUrl: string;
  readonly developerApiKey: string;
  readonly appId: string;
}

const PREFIX = '/conversations/v3/custom-channels';

/**
 * Channel registration is per app: every call carries the developer API key (`hapikey`) and `appId`
 * (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/guide), never a portal's
 * token.
 */
export function createChannelsClient(credentials: DeveloperCredentials) {
  const client = new Client({ developerApiKey: credentials.developerApiKey, basePath: credentials.baseUrl });
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await client.apiRequest({ method, path, body, qs: { appId: credentials.appId } });
    if (!res.ok) throw await toHubSpotError(res);
    return res.status === 204 ? (undefined as T) : ((await res.json()) as T);
  };
  return {
    register: (definition: ChannelDefinition) => call<RegisteredChannel>('POST', PREFIX, definition),
    get: (channelId: string) => call<RegisteredChannel>('GET', `${PREFIX}/${encodeURIComponent(channelId)}`),
    /**
     * HubSpot's PATCH schema marks every field required
     * (https://github.com/HubSpot/HubSpot-public-api-spec-collection), so the whole definition goes.
     */
    update: (channelId: string, definition: ChannelDefinition) =>
      call<RegisteredChannel>('PATCH', `${PREFIX}/${encodeURIComponent(channelId)}`, definition),
    archive: (channelId: string) => call<void>('DELETE', `${PREFIX}/${encodeURIComponent(channelId)}`),
  };
}
export type ChannelsClient = ReturnType<typeof createChannelsClient>;
