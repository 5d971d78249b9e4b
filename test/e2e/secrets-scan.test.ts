import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, startConnectWorld, WHATSAPP, type ConnectWorld } from '../helpers/connect.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { waitFor } from '../helpers/temporal.js';
import { assertNoSecret, captureWorkerLogs, connectThroughPage, histories as historiesOf, installApp } from '../security/support/secret-scan.js';

const workerLogs = captureWorkerLogs();

/**
 * Secrets never reach Temporal or the logs: messages go both ways through OAuth-installed, page-connected accounts,
 * then every workflow history of the run (fetchHistory) and every captured log line are searched for every secret.
 */
describe('no secret in workflow histories or logs', { timeout: 300_000 }, () => {
  let world: ConnectWorld;
  before(async () => {
    world = await startConnectWorld({ oauth: true, worker: true, tokenLifetimeSeconds: 4 });
  });
  after(async () => world.stop());

  it('carries messages both ways and leaves no secret behind', async () => {
    await installApp(world);
    const connect = (fields: Record<string, string>) => connectThroughPage(world, fields);
    const telegram = await connect({ provider: 'telegram', botToken: world.telegram.token });
    const generic = await connect({ provider: 'generic', accountName: 'Scan connector' });
    const whatsapp = await connect({ provider: 'whatsapp', phoneNumberId: '106540352242922', accessToken: WHATSAPP.accessToken, appSecret: WHATSAPP.appSecret });

    // Inbound: Telegram through its connection URL, generic signed with the generated secret.
    await world.telegram.control(`/bots/${world.telegram.bot.id}/messages`, { text: 'scan: telegram in', from: { id: 9100, first_name: 'Scan' } });
    const genericUrl = /(http:\/\/[^<"]+\/webhooks\/generic\/conn_[\w-]+)/.exec(generic.html)![1]!;
    const request = signedGenericRequest(generic.account.credentials.signingSecret!, messageCreated({ text: 'scan: generic in' }));
    assert.equal((await fetch(genericUrl, { method: 'POST', headers: request.headers, body: request.body })).status, 200);
    const published = (text: string) => [...world.hubspotState.messages.values()].find((m) => m.text.includes(text));
    const tg = await waitFor(() => published('scan: telegram in'), 30_000, 'telegram message in HubSpot');
    await waitFor(() => published('scan: generic in'), 30_000, 'generic message in HubSpot');

    // Outbound: a rep replies to the Telegram customer after the access token has expired (a refresh happens).
    await new Promise((r) => setTimeout(r, 3500));
    const reply = await world.sandboxAdmin('POST', `/threads/${tg.conversationsThreadId}/replies`, { text: 'scan: rep reply' });
    assert.equal(reply.status, 201);
    await waitFor(() => world.telegram.state.sent.find((s) => JSON.stringify(s).includes('scan: rep reply')), 60_000, 'the reply delivered to Telegram');

    const tokens = (await world.store.getPortalTokens(world.portal.portalId))!;
    const secrets: Record<string, string> = {
      'Telegram bot token': world.telegram.token,
      'Telegram webhook secret': telegram.account.credentials.secretToken!,
      'generic signing secret': generic.account.credentials.signingSecret!,
      'WhatsApp access token': whatsapp.account.credentials.accessToken!,
      'WhatsApp app secret': whatsapp.account.credentials.appSecret!,
      'WhatsApp verify token': whatsapp.account.credentials.verifyToken!,
      'HubSpot access token': tokens.accessToken,
      'HubSpot refresh token': tokens.refreshToken,
      'HubSpot client secret': world.hubspotState.app.clientSecret,
      'HubSpot developer API key': world.hubspotState.app.developerApiKey,
      'bridge encryption key': world.encryptionKey.toString('base64'),
      'bridge admin token': ADMIN_TOKEN,
    };
    const histories = await historiesOf(world.client, world.taskQueue);
    assert.ok(histories.length >= 5, `expected the account, inbound and outbound workflows, found ${histories.length}`);
    const logs = [...world.logs, ...workerLogs];
    assert.ok(logs.length > 10);
    const haystacks = { 'workflow histories': histories.join('\n'), 'api logs': world.logs.join('\n'), 'worker logs': workerLogs.join('\n') };
    // The haystacks are real: histories hold the message texts, the worker logged through the runtime.
    assert.ok(haystacks['workflow histories'].includes('scan: telegram in'), 'inbound text in a history');
    assert.ok(haystacks['workflow histories'].includes('scan: rep reply'), 'reply text in a history');
    assert.ok(workerLogs.some((l) => l.includes('channel account connected')), 'activity log lines were captured');
    assertNoSecret(haystacks, secrets);
  });
});
