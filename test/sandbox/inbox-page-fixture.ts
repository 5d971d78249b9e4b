import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { createHubSpotSandbox } from '../../src/sandbox/hubspot/app.js';
import { createHubSpotSandboxState, type HubSpotSandboxState, type SandboxOptions } from '../../src/sandbox/hubspot/state.js';
import { listen } from '../helpers/bridge.js';
import { launchBrowser } from '../helpers/browser.js';

/** Capabilities of a channel that carries formatting and files, like the bridge's. */
export const CAPABILITIES = {
  deliveryIdentifierTypes: ['HS_PHONE_NUMBER', 'CHANNEL_SPECIFIC_OPAQUE_ID'],
  threadingModel: 'INTEGRATION_THREAD_ID',
  richText: ['HYPERLINK', 'BOLD', 'ITALIC', 'LISTS'],
  allowOutgoingMessages: true,
  outgoingAttachmentTypes: ['FILE'],
  allowedFileAttachmentMimeTypes: ['image/*', 'audio/*', 'video/*', 'application/pdf', 'text/plain'],
  maxFileAttachmentCount: 5,
  maxFileAttachmentSizeBytes: 200_000,
  maxTotalFileAttachmentSizeBytes: 1_000_000,
};

/** A real sandbox on a loopback port, a channel registered through its API, and a headless Chromium page. */
export async function startInbox(options: SandboxOptions = {}, channel: Record<string, unknown> = {}) {
  const state: HubSpotSandboxState = createHubSpotSandboxState(options);
  const { server, url } = await listen(createHubSpotSandbox(state));
  const portal = [...state.portals.values()][0]!;
  const auth = { 'content-type': 'application/json', authorization: `Bearer ${portal.accessToken}` };
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const registered = await fetch(`${url}/conversations/v3/custom-channels?hapikey=${state.app.developerApiKey}&appId=${state.app.appId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Acme Messenger', capabilities: CAPABILITIES, ...channel }),
  });
  const channelId = ((await registered.json()) as { id: string }).id;
  const browser: Browser = await launchBrowser();
  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(20_000);
  // A script error on the page fails the test that caused it, instead of surfacing as a timeout.
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  const fixture = {
    state,
    url,
    portal,
    channelId,
    browser,
    page,
    api,
    pageErrors,
    /** A channel account, created with the portal's token as an integration does. */
    async createAccount(name: string) {
      const body = { inboxId: portal.inboxId, name, authorized: true, deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `bot-${randomUUID()}` } };
      return (await api('POST', `/conversations/v3/custom-channels/${channelId}/channel-accounts`, body)) as { id: string; name: string };
    },
    /** A customer's message, published through the Custom Channels API as the bridge publishes it. */
    async publish(accountId: string, m: { thread: string; name: string; phone: string; text: string; attachments?: unknown[] }) {
      const body = {
        text: m.text,
        messageDirection: 'INCOMING',
        channelAccountId: accountId,
        integrationThreadId: m.thread,
        integrationIdempotencyId: randomUUID(),
        timestamp: new Date().toISOString(),
        senders: [{ name: m.name, deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: m.phone } }],
        recipients: [{ deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bot' } }],
        attachments: m.attachments ?? [],
      };
      return (await api('POST', `/conversations/v3/custom-channels/${channelId}/messages`, body)) as { id: string; conversationsThreadId: string };
    },
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return fixture;
}

export type InboxFixture = Awaited<ReturnType<typeof startInbox>>;
