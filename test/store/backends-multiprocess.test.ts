import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { freePort, stopChild } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import { createHubSpotSandbox } from '../../packages/sandbox/src/hubspot/app.js';
import { createHubSpotSandboxState } from '../../packages/sandbox/src/hubspot/state.js';
import { openPostgresStore } from '../../packages/bridge/src/store/postgres.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { createSandboxAccount, listen } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { connectClient, temporalAddress, waitFor } from '../helpers/temporal.js';

const adminUrl = process.env.BRIDGE_TEST_DATABASE_URL;
const LIMIT = 8; // HubSpot calls per 10 s per portal, in the sandbox and in the bridge
const MESSAGES = 12;
const root = path.resolve(import.meta.dirname, '../..');

/** Scale out for real: two api and two worker processes, one Temporal server, one PostgreSQL. */
describe(
  'two api and two worker processes on PostgreSQL',
  { skip: adminUrl ? false : 'BRIDGE_TEST_DATABASE_URL is not set (npm test provisions PostgreSQL)' },
  () => {
    const children: { name: string; child: ChildProcess; output: string[] }[] = [];
    const apis: string[] = [];
    let store: Store;
    let database: string;
    let sandbox: { state: ReturnType<typeof createHubSpotSandboxState>; url: string; close: () => Promise<void> };
    let accountId: string;
    let signingSecret: string;

    before(async () => {
      const state = createHubSpotSandboxState({ rateLimit: { max: LIMIT, intervalMs: 10_000 } });
      const { server, url } = await listen(createHubSpotSandbox(state));
      sandbox = { state, url, close: () => new Promise<void>((r) => server.close(() => r())) };
      const portal = [...state.portals.values()][0]!;
      const res = await fetch(
        `${url}/conversations/v3/custom-channels?hapikey=${state.app.developerApiKey}&appId=${state.app.appId}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            name: 'Scale-out channel',
            capabilities: {
              threadingModel: 'INTEGRATION_THREAD_ID',
              deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'],
            },
          }),
        },
      );
      const channelId = ((await res.json()) as { id: string }).id;
      const created = await createSandboxAccount({ url, channelId, portal } as Parameters<
        typeof createSandboxAccount
      >[0]);

      database = `bridge_mp_${randomUUID().replace(/-/g, '')}`;
      const admin = new pg.Client(adminUrl);
      await admin.connect();
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.end();
      const dbUrl = new URL(adminUrl!);
      dbUrl.pathname = `/${database}`;
      const key = randomBytes(32);
      store = await openPostgresStore({ url: dbUrl.toString(), encryptionKey: key });
      signingSecret = `whsec_${randomBytes(24).toString('base64')}`;
      accountId = created.id;
      await store.upsertAccount({
        accountId: asAccountId(created.id),
        portalId: portal.portalId,
        channelId,
        provider: 'generic',
        name: created.name,
        deliveryIdentifier: created.deliveryIdentifier,
        authorized: true,
        credentials: { signingSecret },
      });

      const env = {
        ...process.env,
        LOG_LEVEL: 'info',
        TEMPORAL_ADDRESS: temporalAddress(),
        TEMPORAL_TASK_QUEUE: `scale-${randomUUID()}`,
        BRIDGE_DATABASE_URL: dbUrl.toString(),
        BRIDGE_ENCRYPTION_KEY: key.toString('base64'),
        HUBSPOT_BASE_URL: url,
        HUBSPOT_CHANNEL_ID: channelId,
        HUBSPOT_ACCESS_TOKEN: portal.accessToken,
        HUBSPOT_RATE_LIMIT_PER_10S: String(LIMIT),
        HUBSPOT_CLIENT_ID: 'scale-client-id',
        HUBSPOT_CLIENT_SECRET: 'scale-client-secret',
        BRIDGE_PUBLIC_URL: 'http://127.0.0.1:9',
      };
      const start = (name: string, entry: string, extra: Record<string, string> = {}) => {
        const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
          env: { ...env, ...extra },
          stdio: ['ignore', 'pipe', 'pipe'],
          cwd: root,
        });
        const output: string[] = [];
        child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
        child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
        children.push({ name, child, output });
      };
      for (const name of ['api-1', 'api-2']) {
        const port = await freePort();
        start(name, 'packages/bridge/src/server.ts', {
          BRIDGE_API_HOST: '127.0.0.1',
          BRIDGE_API_PORT: String(port),
          BRIDGE_PUBLIC_URL: `http://127.0.0.1:${port}`,
        });
        apis.push(`http://127.0.0.1:${port}`);
      }
      start('worker-1', 'packages/bridge/src/worker.ts');
      start('worker-2', 'packages/bridge/src/worker.ts');
      for (const worker of children.filter((c) => c.name.startsWith('worker'))) {
        await waitFor(
          () => (worker.output.join('').includes('worker polling') ? true : undefined),
          90_000,
          `${worker.name} polling (${worker.output.join('').slice(-300)})`,
        );
      }
      for (const api of apis) {
        await waitFor(
          () =>
            fetch(`${api}/readyz`).then(
              (r) => (r.ok ? true : undefined),
              () => undefined,
            ),
          90_000,
          `${api}/readyz (${children.map((c) => c.output.join('').slice(-300)).join(' | ')})`,
        );
      }
    });

    after(async () => {
      await Promise.all(children.map(({ child }) => stopChild(child)));
      await store?.close();
      await sandbox?.close();
      if (database) {
        const admin = new pg.Client(adminUrl);
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
        await admin.end();
      }
    });

    it('publishes every message exactly once, even when each webhook reaches both apis, and never exceeds the portal limit', async () => {
      const payloads = Array.from({ length: MESSAGES }, (_, i) =>
        messageCreated({ threadKey: `scale-chat-${i % 3}`, text: `message ${i}` }),
      );
      const post = (api: string, payload: unknown) => {
        const request = signedGenericRequest(signingSecret, payload);
        return fetch(`${api}/webhooks/generic/${accountId}`, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
        });
      };
      // The harness's own setup call (creating the channel account) counted in HubSpot's window but is
      // not the bridge's: start the window empty, so the assertion below is about the bridge alone.
      sandbox.state.rateWindows.clear();
      // Every webhook to one api, then redelivered to the other (a retry landing on another replica).
      const answers = await Promise.all(
        payloads.flatMap((p, i) => [post(apis[i % 2]!, p), post(apis[(i + 1) % 2]!, p)]),
      );
      assert.deepEqual(
        answers.map((a) => a.status),
        answers.map(() => 200),
      );

      const keys = payloads.map((p) => `inbound:${accountId}:${p.data.messageId}`);
      const { client, close } = await connectClient();
      try {
        await Promise.all(keys.map((key) => client.workflow.getHandle(key).result()));
      } finally {
        await close();
      }
      const published = [...sandbox.state.messages.values()].filter((m) =>
        keys.includes(m.integrationIdempotencyId ?? ''),
      );
      assert.deepEqual(
        published.map((m) => m.integrationIdempotencyId).sort(),
        [...keys].sort(),
        'each message exactly once',
      );
      const refused = sandbox.state.ledger.filter((e) => e.status === 429);
      assert.equal(
        refused.length,
        0,
        `HubSpot's per-portal limit was exceeded: ${refused.map((e) => `${e.at} ${e.method} ${e.path}`).join(', ')}`,
      );
      const workers = children
        .filter((c) => c.name.startsWith('worker'))
        .map(
          (c) =>
            c.output
              .join('')
              .split('\n')
              .filter((l) => l.includes('"step completed"')).length,
        );
      // Both workers took part, so the limit above held across processes, not inside one.
      assert.ok(
        workers.every((n) => n > 0),
        `every worker process ran steps: ${workers.join(', ')}`,
      );
      console.log(
        `steps completed per worker process: ${workers.join(', ')}; HubSpot calls: ${sandbox.state.ledger.length}`,
      );
    });
  },
);
