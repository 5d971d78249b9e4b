import { randomBytes, randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { createHubSpotClient } from '../../packages/bridge/src/hubspot/client.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import { createMediaLinks, mediaLinkSecret } from '../../packages/bridge/src/media-links/index.js';
import type { ProviderEndpoints } from '../../packages/bridge/src/providers/registry.js';
import { createBridgeWorker } from '../../packages/bridge/src/temporal/worker.js';
import { connectAccount, startHubSpotSandbox, tempStore, type TestBridge } from '../helpers/bridge.js';
import { listenWithHubSpotWebhook, outboundWorkerDeps } from '../helpers/outbound-bridge.js';
import { connectClient, connectWorker } from '../helpers/temporal.js';

/**
 * The whole bridge in-process as src/server.ts and src/worker.ts wire it for providers that download reply files
 * themselves: the api knows its public URL (webhooks carry `url`) and serves /media-links, and the worker's adapters
 * get `mediaUrlFor` from media links of their own, signed with the secret both derive from the store key.
 * (test/helpers/bridge.ts's startTestBridge wires neither.)
 */
export async function startBridgeWithMediaLinks(providerEndpoints: ProviderEndpoints): Promise<TestBridge> {
  const sandbox = await startHubSpotSandbox();
  const { store, key } = tempStore();
  const taskQueue = `test-${randomUUID()}`;
  const { client, connection, close: closeClient } = await connectClient();
  let publicUrl = '';
  const api = await listenWithHubSpotWebhook(sandbox, (hubspotWebhook) => {
    // Loopback stands in for BRIDGE_PUBLIC_URL: nothing sits between the emulators and the api here.
    publicUrl = hubspotWebhook.url.replace(/\/webhooks\/hubspot$/, '');
    return createApp({
      store,
      temporal: client,
      taskQueue,
      logger: createLogger('test-api', 'silent'),
      maxBodyBytes: 1024 * 1024,
      checkTemporal: () => connection.healthService.check({}),
      hubspotWebhook,
      publicUrl,
      mediaLinks: createMediaLinks({ store, secret: mediaLinkSecret(key), publicUrl }),
    });
  });

  const workerLinks = createMediaLinks({ store, secret: mediaLinkSecret(Buffer.from(key)), publicUrl });
  const workerConnection = await connectWorker();
  const worker: Worker = await createBridgeWorker({
    connection: workerConnection,
    namespace: 'default',
    taskQueue,
    deps: {
      store,
      hubspot: createHubSpotClient({
        baseUrl: sandbox.url,
        channelId: sandbox.channelId,
        accessTokenFor: async () => sandbox.portal.accessToken,
      }),
      ...outboundWorkerDeps(sandbox),
      providerEndpoints: { ...providerEndpoints, mediaUrlFor: workerLinks.link },
    },
    workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
  });
  const running = worker.run();

  const signingSecret = `whsec_${randomBytes(24).toString('base64')}`;
  const account = await connectAccount({ sandbox, store }, 'generic', { signingSecret });
  return {
    apiUrl: api.url,
    sandbox,
    sandboxState: sandbox.state,
    store,
    client,
    taskQueue,
    account,
    signingSecret,
    async stop() {
      worker.shutdown();
      await running;
      await workerConnection.close();
      await new Promise<void>((r) => api.server.close(() => r()));
      await closeClient();
      await sandbox.close();
      await store.close();
    },
  };
}
