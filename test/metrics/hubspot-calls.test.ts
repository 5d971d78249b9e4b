import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHubSpotClient } from '../../packages/bridge/src/hubspot/client.js';
import { limitedHubSpotClient, type PortalLimiter } from '../../packages/bridge/src/hubspot/portal-limit.js';
import { countingLimiter } from '../../packages/bridge/src/metrics/hubspot-calls.js';
import { createWorkerMetrics } from '../../packages/bridge/src/metrics/worker-metrics.js';
import { startHubSpotSandbox } from '../helpers/bridge.js';

const direct: PortalLimiter = (_portalId, call) => call();

describe('countingLimiter', () => {
  let sandbox: Awaited<ReturnType<typeof startHubSpotSandbox>>;
  before(async () => (sandbox = await startHubSpotSandbox()));
  after(() => sandbox?.close());

  it("counts each HubSpot request by portal and answer: HubSpot's status, or error when none came", async () => {
    const metrics = createWorkerMetrics();
    const limit = countingLimiter(direct, metrics.hubspotRequests);
    const reachable = limitedHubSpotClient(
      createHubSpotClient({
        baseUrl: sandbox.url,
        channelId: sandbox.channelId,
        accessTokenFor: async () => sandbox.portal.accessToken,
      }),
      limit,
    );
    const unreachable = limitedHubSpotClient(
      createHubSpotClient({
        baseUrl: 'http://127.0.0.1:9',
        channelId: sandbox.channelId,
        accessTokenFor: async () => 'token',
      }),
      limit,
    );
    await assert.rejects(reachable.getThread(sandbox.portal.portalId, '999999999'), {
      name: 'HubSpotApiError',
      status: 404,
    });
    await assert.rejects(unreachable.getThread('77', '1'));
    assert.equal(await limit(sandbox.portal.portalId, async () => 'answered'), 'answered');
    const text = await metrics.registry.metrics();
    const count = (portal: string, status: string) =>
      Number(
        new RegExp(
          `^bridge_hubspot_requests_total\\{portal="${portal}",status="${status}",service="worker"\\} (\\d+)`,
          'm',
        ).exec(text)?.[1] ?? 0,
      );
    assert.equal(count(sandbox.portal.portalId, '404'), 1);
    assert.equal(count('77', 'error'), 1);
    assert.equal(count(sandbox.portal.portalId, '2xx'), 1);
  });
});
