import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ConnectDeps } from '../../packages/bridge/src/api/connect/deps.js';
import { messageStatus } from '../helpers/message-status.js';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { stateKeyFrom } from '../../packages/bridge/src/api/connect/oauth-state.js';
import { createChannelAccountsClient } from '../../packages/bridge/src/hubspot/channel-accounts.js';
import { createTokenProvider } from '../../packages/bridge/src/hubspot/tokens.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import { addFault } from '../../packages/sandbox/src/hubspot/faults.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, listen, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { startTelegramSandbox } from '../helpers/telegram-sandbox.js';
import { waitFor } from '../helpers/temporal.js';

export const ADMIN_TOKEN = `console-admin-${randomBytes(12).toString('hex')}`;

/**
 * The whole bridge (sandbox HubSpot, real Temporal dev server, worker, SQLite store) plus a second api built by
 * createApp with the admin token, the Telegram sandbox as Telegram, and real messages: published, failed and held.
 */
export async function startConsoleWorld() {
  const bridge = await startTestBridge();
  const telegram = await startTelegramSandbox();
  const portal = bridge.sandbox.portal;
  const connect: ConnectDeps = {
    store: bridge.store,
    logger: createLogger('test-console', 'silent'),
    publicUrl: bridge.apiUrl,
    stateKey: stateKeyFrom(randomBytes(32)),
    tokens: createTokenProvider({ store: bridge.store, staticToken: portal.accessToken }),
    channelAccounts: createChannelAccountsClient({
      baseUrl: bridge.sandbox.url,
      channelId: bridge.sandbox.channelId,
      accessTokenFor: async () => portal.accessToken,
    }),
    channelId: bridge.sandbox.channelId,
    providers: { telegram: { apiBaseUrl: telegram.url }, whatsapp: { graphBaseUrl: 'http://127.0.0.1:9' } },
  };
  const app = createApp({
    store: bridge.store,
    temporal: bridge.client,
    taskQueue: bridge.taskQueue,
    logger: createLogger('test-console', 'silent'),
    maxBodyBytes: 65536,
    checkTemporal: () => bridge.client.workflowService.getSystemInfo({}),
    adminToken: ADMIN_TOKEN,
    inspect: { namespace: 'default', uiUrl: 'http://ui.test:8233' },
    connect,
  });
  const api = await listen(app);

  // Portal tokens in the store, as an OAuth install leaves them: the accounts page reads their status, never them.
  const portalTokens = {
    portalId: portal.portalId,
    accessToken: `pat-na1-${randomBytes(16).toString('hex')}`,
    refreshToken: `refresh-${randomBytes(16).toString('hex')}`,
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    scopes: ['conversations.read'],
    status: 'active' as const,
  };
  await bridge.store.savePortalTokens(portalTokens);

  const tgSecret = `tg_secret_${randomBytes(8).toString('hex')}`;
  const telegramAccount = await connectAccount(bridge, 'telegram', { botToken: telegram.token, secretToken: tgSecret });
  const setWebhook = await telegram.api('setWebhook', {
    url: `${bridge.apiUrl}/webhooks/telegram/${telegramAccount.accountId}`,
    secret_token: tgSecret,
  });
  assert.equal(setWebhook.status, 200);
  // A second bot whose webhook carries a secret the bridge does not know: Telegram's deliveries are refused (401).
  const brokenToken = `${700000 + Math.floor(Math.random() * 99999)}:AA${randomBytes(16).toString('hex')}`;
  const created = await telegram.control('/bots', { token: brokenToken, username: 'console_broken_bot' });
  assert.equal(created.status, 201, await created.text());
  const brokenSecret = `tg_secret_${randomBytes(8).toString('hex')}`;
  const brokenAccount = await connectAccount(bridge, 'telegram', { botToken: brokenToken, secretToken: brokenSecret });
  await telegram.api(
    'setWebhook',
    { url: `${bridge.apiUrl}/webhooks/telegram/${brokenAccount.accountId}`, secret_token: 'not_the_stored_secret' },
    brokenToken,
  );
  const botId = brokenToken.split(':')[0]!;
  assert.equal(
    (await telegram.control(`/bots/${botId}/messages`, { text: 'nobody hears this', user_id: 4242 })).status,
    201,
  );
  await waitFor(
    async () => {
      const info = (await (await telegram.api('getWebhookInfo', {}, brokenToken)).json()) as {
        result: { last_error_message?: string };
      };
      return info.result.last_error_message;
    },
    20_000,
    'Telegram to record the refused delivery',
  );

  const offSecret = `whsec_${randomBytes(24).toString('base64')}`;
  const offAccount = { ...(await connectAccount(bridge, 'generic', { signingSecret: offSecret })), authorized: false };
  await bridge.store.upsertAccount(offAccount);

  const send = async (account: AccountWithCredentials, payload: ReturnType<typeof messageCreated>) => {
    const request = signedGenericRequest(account.credentials.signingSecret!, payload);
    const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${account.accountId}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    assert.equal(res.status, 200, await res.text());
    return `inbound:${account.accountId}:${payload.data.messageId}`;
  };
  const status = (workflowId: string) => messageStatus(bridge.client, workflowId);

  const publishedPayload = messageCreated({ threadKey: 'console-published', text: 'hello from the console test' });
  const published = await send(bridge.account, publishedPayload);
  const { hubspotMessageId } = (await bridge.client.workflow.getHandle(published).result()) as {
    hubspotMessageId: string;
  };

  // HubSpot refuses the publish once (400): the workflow fails, and Retry must re-run it.
  addFault(bridge.sandboxState, {
    kind: 'status',
    status: 400,
    pathContains: `/custom-channels/${bridge.sandbox.channelId}/messages`,
    method: 'POST',
    count: 1,
  });
  const failedPayload = messageCreated({ threadKey: 'console-failed', text: 'refused once by HubSpot' });
  const failed = await send(bridge.account, failedPayload);
  await assert.rejects(bridge.client.workflow.getHandle(failed).result());

  const held = await send(
    offAccount,
    messageCreated({ threadKey: 'console-held', text: 'held while the account is off' }),
  );
  await waitFor(async () => ((await status(held)) === 'HELD' ? true : undefined), 20_000, 'the held message');

  return {
    bridge: bridge as TestBridge,
    telegram,
    url: api.url,
    telegramAccount,
    brokenAccount,
    offAccount,
    portalTokens,
    messages: {
      published,
      publishedProviderId: publishedPayload.data.messageId,
      publishedHubSpotId: hubspotMessageId,
      failed,
      held,
    },
    /** Every secret the bridge holds for these accounts and portals, and the admin token: no page may show one. */
    secrets: [
      ADMIN_TOKEN,
      bridge.signingSecret,
      telegram.token,
      tgSecret,
      brokenToken,
      brokenSecret,
      offSecret,
      portalTokens.accessToken,
      portalTokens.refreshToken,
    ],
    async stop() {
      await new Promise<void>((r) => api.server.close(() => r()));
      await telegram.close();
      await bridge.stop();
    },
  };
}

export type ConsoleWorld = Awaited<ReturnType<typeof startConsoleWorld>>;
