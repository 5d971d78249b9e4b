import type { Server } from 'node:http';
import type { Express } from 'express';
import { DEFAULT_PACING, type PacingConfig } from '../../packages/bridge/src/activities/delivery-pacing.js';
import type { OutboundPolicy } from '../../packages/bridge/src/domain/outbound.js';
import { createHubSpotOutboundClient } from '../../packages/bridge/src/hubspot/status.js';
import { freePort } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import type { ProviderEndpoints } from '../../packages/bridge/src/providers/registry.js';

/** What an outbound test may change in the test bridge: where providers live, pacing, the policy window. */
export interface OutboundTestOptions {
  readonly providerEndpoints?: ProviderEndpoints;
  /** @default Telegram 1/s per chat as in production; WhatsApp's 6 s pair limit is too slow for tests, so 200 ms. */
  readonly pacing?: PacingConfig;
  readonly policy?: OutboundPolicy;
}

export const TEST_PACING: PacingConfig = {
  ...DEFAULT_PACING,
  whatsapp: { perChatIntervalMs: 200, globalPerSecond: 80 },
};

interface SandboxLike {
  readonly url: string;
  readonly channelId: string;
  readonly portal: { readonly accessToken: string };
  readonly state: {
    readonly app: { readonly developerApiKey: string; readonly appId: string | number; readonly clientSecret: string };
  };
}

/** The worker's outbound dependencies against the HubSpot sandbox. */
export function outboundWorkerDeps(sandbox: SandboxLike, options: OutboundTestOptions = {}) {
  return {
    hubspotOutbound: createHubSpotOutboundClient({
      baseUrl: sandbox.url,
      accessTokenFor: async () => sandbox.portal.accessToken,
    }),
    // Only when given: spreading undefined here would erase the inbound side's emulator endpoints.
    ...(options.providerEndpoints ? { providerEndpoints: options.providerEndpoints } : {}),
    pacing: options.pacing ?? TEST_PACING,
  };
}

/**
 * Starts the api on a port known in advance, so the URL HubSpot signs is the one it calls, and registers
 * `{api}/webhooks/hubspot` as the sandbox channel's webhookUrl; the app verifies with the sandbox app's client secret.
 */
export async function listenWithHubSpotWebhook(
  sandbox: SandboxLike,
  makeApp: (hubspotWebhook: { url: string; clientSecret: string }) => Express,
): Promise<{ server: Server; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const webhookUrl = `${url}/webhooks/hubspot`;
  const app = makeApp({ url: webhookUrl, clientSecret: sandbox.state.app.clientSecret });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
  const res = await fetch(
    `${sandbox.url}/conversations/v3/custom-channels/${sandbox.channelId}?hapikey=${sandbox.state.app.developerApiKey}&appId=${sandbox.state.app.appId}`,
    {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ webhookUrl }),
    },
  );
  if (!res.ok) throw new Error(`sandbox refused the webhookUrl: ${res.status} ${await res.text()}`);
  return { server, url };
}
