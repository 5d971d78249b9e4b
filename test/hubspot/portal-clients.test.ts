import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from '@hubspot/api-client';
import { createChannelAccountsClient } from '../../packages/bridge/src/hubspot/channel-accounts.js';
import { createHubSpotClient } from '../../packages/bridge/src/hubspot/client.js';
import { createPortalClients, sharedPortalClients } from '../../packages/bridge/src/hubspot/portal-clients.js';
import { createHubSpotOutboundClient } from '../../packages/bridge/src/hubspot/status.js';

describe('one HubSpot SDK client per portal and token', () => {
  let server: http.Server;
  let baseUrl: string;
  const seen: string[] = [];
  before(async () => {
    // HubSpot answering every request with an empty object, noting the bearer token it came with.
    server = http.createServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      req.resume();
      req.on('end', () =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"x","conversationsThreadId":"t"}'),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('shares one client between the publishing, outbound and channel-account factories, and rebuilds it when the token is refreshed', async () => {
    const built: string[] = [];
    const portalClients = createPortalClients(
      baseUrl,
      (accessToken) => (built.push(accessToken), new Client({ accessToken, basePath: baseUrl })),
    );
    let token = 'token-1';
    const options = { baseUrl, channelId: '7', accessTokenFor: async () => token, portalClients };
    const publishing = createHubSpotClient(options);
    const outbound = createHubSpotOutboundClient(options);
    const accounts = createChannelAccountsClient(options);
    const everyCall = () =>
      Promise.all([
        publishing.publishMessage('1', { text: 'hi' } as Parameters<typeof publishing.publishMessage>[1]),
        publishing.getThread('1', 'thread'),
        outbound.updateMessageStatus('1', '7', 'message', { statusType: 'SENT' }),
        accounts.getAccount('1', 'account'),
      ]);

    await everyCall();
    await everyCall();
    assert.deepEqual(built, ['token-1'], 'eight requests, one client');

    token = 'token-2';
    seen.length = 0;
    await everyCall();
    assert.deepEqual(built, ['token-1', 'token-2'], 'rebuilt once for the refreshed token');
    assert.ok(
      seen.length === 4 && seen.every((header) => header === 'Bearer token-2'),
      'every request carries the new token',
    );

    await publishing.getThread('2', 'thread');
    assert.equal(built.length, 3, 'another portal has its own client');
  });

  it('shares the process-wide registry between factories built without one, by base URL', () => {
    const shared = sharedPortalClients(baseUrl);
    assert.equal(sharedPortalClients(baseUrl), shared);
    assert.equal(shared.clientFor('1', 'token'), shared.clientFor('1', 'token'));
    assert.notEqual(sharedPortalClients(`${baseUrl}/other`), shared);
  });
});
