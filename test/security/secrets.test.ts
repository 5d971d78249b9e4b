import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, startConnectWorld, WHATSAPP, type ConnectWorld } from '../helpers/connect.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { waitFor } from '../helpers/temporal.js';
import { assertNoSecret, captureWorkerLogs, connectThroughPage, histories } from './support/secret-scan.js';

const workerLogs = captureWorkerLogs();

/**
 * Security check 6, beside test/e2e/secrets-scan.test.ts (both directions and a token refresh): the
 * paths where secrets are most likely to slip out. HubSpot answering 401, a provider answering 403, the
 * account lifecycle (turn off, turn on, remove), WhatsApp inbound, and every error the api answers; then
 * every workflow history, every api (pino) and worker log line, every HTTP error body and /metrics are
 * searched for every secret the run used.
 */
describe(
  'security: secrets are absent from histories, logs and error messages, on error paths too',
  { timeout: 300_000 },
  () => {
    let world: ConnectWorld;
    const bodies: string[] = [];
    /** Makes a request and keeps what the api answered, for the scan. */
    const answer = async (url: string, init?: RequestInit) => {
      const res = await fetch(url, { redirect: 'manual', ...init });
      bodies.push(`${res.status} ${init?.method ?? 'GET'} ${url}\n${await res.text()}`);
      return res;
    };
    before(async () => {
      world = await startConnectWorld({ worker: true });
    });
    after(() => world.stop());

    it('leaves no secret behind after failures, refusals and the account lifecycle', async () => {
      const telegram = await connectThroughPage(world, { provider: 'telegram', botToken: world.telegram.token });
      const whatsapp = await connectThroughPage(world, {
        provider: 'whatsapp',
        phoneNumberId: '106540352242922',
        accessToken: WHATSAPP.accessToken,
        appSecret: WHATSAPP.appSecret,
      });
      const generic = await connectThroughPage(world, { provider: 'generic', accountName: 'Lifecycle connector' });
      const published = (text: string) => [...world.hubspotState.messages.values()].find((m) => m.text.includes(text));

      // HubSpot answers 401 to a publish: that message ends with HubSpot's reason in its history; the next one goes
      // through.
      await world.sandboxAdmin('POST', '/faults', {
        kind: 'status',
        status: 401,
        pathContains: '/messages',
        method: 'POST',
        count: 1,
      });
      const customer = { from: { id: 9200, first_name: 'Scan' } };
      await world.telegram.control(`/bots/${world.telegram.bot.id}/messages`, {
        text: 'scan: meets a 401',
        ...customer,
      });
      await waitFor(
        async () =>
          (await histories(world.client, world.taskQueue)).some((h) => h.includes('HubSpot answered 401'))
            ? true
            : undefined,
        60_000,
        'the 401 in a history',
      );
      await world.telegram.control(`/bots/${world.telegram.bot.id}/messages`, {
        text: 'scan: after the 401',
        ...customer,
      });
      const thread = await waitFor(() => published('scan: after the 401'), 60_000, 'the next message published');

      // WhatsApp inbound, through the connection URL and verify token the page showed the admin.
      const waHook = /(http:\/\/[^<"\s]+\/webhooks\/whatsapp\/conn_[\w-]+)/.exec(whatsapp.html)![1]!;
      const subscribed = await fetch(`${world.whatsappUrl}/_sandbox/whatsapp/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: waHook, verifyToken: whatsapp.account.credentials.verifyToken }),
      });
      assert.equal(subscribed.status, 200, await subscribed.text());
      await fetch(`${world.whatsappUrl}/_sandbox/whatsapp/customer/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'text', text: 'scan: whatsapp in' }),
      });
      await waitFor(() => published('scan: whatsapp in'), 60_000, 'the WhatsApp message in HubSpot');

      // Telegram answers 403 (the customer blocked the bot): the rep's reply fails with a reason.
      await world.telegram.control(`/bots/${world.telegram.bot.id}/block`, { user_id: 9200 });
      const reply = await world.sandboxAdmin('POST', `/threads/${thread.conversationsThreadId}/replies`, {
        text: 'scan: to a blocked bot',
      });
      assert.equal(reply.status, 201);
      const replyId = ((await reply.json()) as { id: string }).id;
      const failed = await waitFor(
        async () => {
          const status =
            (
              (await (await world.sandboxAdmin('GET', `/messages/${replyId}`)).json()) as {
                statusUpdates?: { statusType: string; errorMessage?: string }[];
              }
            ).statusUpdates ?? [];
          return (
            status.find((s) => s.statusType === 'FAILED') ??
            (status.some((s) => s.statusType === 'SENT')
              ? assert.fail(`the reply to a blocked bot was SENT: ${JSON.stringify(status)}`)
              : undefined)
          );
        },
        60_000,
        'the reply FAILED',
      );
      assert.match(failed.errorMessage ?? '', /blocked/);

      // The account lifecycle: turn the generic account off, on, then remove it.
      const accountId = generic.account.accountId;
      for (const change of [{ authorized: false }, { authorized: true }]) {
        assert.equal((await world.sandboxAdmin('PATCH', `/channel-accounts/${accountId}`, change)).status, 200);
        await waitFor(
          async () => ((await world.store.getAccount(accountId))?.authorized === change.authorized ? true : undefined),
          30_000,
          `authorized ${change.authorized}`,
        );
      }
      const signed = signedGenericRequest(
        generic.account.credentials.signingSecret!,
        messageCreated({ text: 'scan: generic in' }),
      );
      assert.equal(
        (
          await answer(`${world.apiUrl}/webhooks/generic/${accountId}`, {
            method: 'POST',
            headers: signed.headers,
            body: signed.body,
          })
        ).status,
        200,
      );
      assert.equal((await world.sandboxAdmin('DELETE', `/channel-accounts/${accountId}`)).status, 200);
      await waitFor(
        async () => ((await world.store.getAccount(accountId)) ? undefined : true),
        30_000,
        'the account removed',
      );

      // Every refusal the api answers, with the secrets of real accounts at hand.
      const json = { 'content-type': 'application/json' };
      await answer(`${world.apiUrl}/webhooks/telegram/${telegram.account.accountId}`, {
        method: 'POST',
        headers: { ...json, 'x-telegram-bot-api-secret-token': 'wrong' },
        body: '{}',
      });
      await answer(`${world.apiUrl}/webhooks/whatsapp/${whatsapp.account.accountId}`, {
        method: 'POST',
        headers: { ...json, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
        body: '{}',
      });
      await answer(
        `${world.apiUrl}/webhooks/whatsapp/${whatsapp.account.accountId}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1`,
      );
      await answer(`${world.apiUrl}/webhooks/generic/${accountId}`, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body,
      });
      await answer(`${world.apiUrl}/webhooks/hubspot`, {
        method: 'POST',
        headers: { ...json, 'x-hubspot-signature-v3': 'forged', 'x-hubspot-request-timestamp': String(Date.now()) },
        body: '[]',
      });
      await answer(`${world.apiUrl}/webhooks/hubspot`, {
        method: 'POST',
        headers: { ...json, 'content-encoding': 'gzip' },
        body: 'x',
      });
      await answer(`${world.apiUrl}/admin/accounts`, { headers: { authorization: 'Bearer wrong-admin-token' } });
      await answer(`${world.apiUrl}/admin/accounts`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      await answer(`${world.apiUrl}/oauth/callback?code=x&state=forged`);
      const started = await world.startConnect();
      const wrongBot = await world.submitConnect(started, {
        provider: 'telegram',
        botToken: `${world.telegram.bot.id}:not-the-token`,
      });
      bodies.push(wrongBot.html);
      await answer(`${world.apiUrl}/metrics`);

      const tokens = world.portal;
      const secrets: Record<string, string> = {
        'Telegram bot token': world.telegram.token,
        'Telegram webhook secret': telegram.account.credentials.secretToken!,
        'generic signing secret': generic.account.credentials.signingSecret!,
        'WhatsApp access token': WHATSAPP.accessToken,
        'WhatsApp app secret': WHATSAPP.appSecret,
        'WhatsApp verify token': whatsapp.account.credentials.verifyToken!,
        'HubSpot access token': tokens.accessToken,
        'HubSpot client secret': world.hubspotState.app.clientSecret,
        'HubSpot developer API key': world.hubspotState.app.developerApiKey,
        'bridge encryption key': world.encryptionKey.toString('base64'),
        'bridge admin token': ADMIN_TOKEN,
      };
      const scanned = {
        'workflow histories': (await histories(world.client, world.taskQueue)).join('\n'),
        'api logs': world.logs.join('\n'),
        'worker logs': workerLogs.join('\n'),
        'HTTP answers': bodies.join('\n'),
      };
      // The haystacks hold what they should, so a clean scan means something.
      assert.match(scanned['workflow histories'], /HubSpot answered 401/, 'the 401 is in a history');
      assert.match(scanned['workflow histories'], /blocked/, 'the 403 reason is in a history');
      assert.match(scanned['api logs'], /request rejected/);
      assert.match(scanned['HTTP answers'], /signature rejected/);
      assert.match(scanned['HTTP answers'], /bridge_/, '/metrics answered');
      assertNoSecret(scanned, secrets);
    });
  },
);
