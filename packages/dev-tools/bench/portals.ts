import path from 'node:path';
import { asAccountId } from '../../bridge/src/domain/ids.js';
import type { DemoAccount, SandboxInfo } from '../src/local/demo-seed.js';
import type { LocalSystem } from '../src/local/system.js';
import { openSqliteStore } from '../../bridge/src/store/sqlite.js';

export interface BenchPortal {
  readonly portalId: string;
  readonly account: DemoAccount;
}

const info = async (hubspotUrl: string) => (await (await fetch(`${hubspotUrl}/_sandbox/info`)).json()) as SandboxInfo;

async function expect(res: Response, status: number, what: string): Promise<Response> {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res;
}

/**
 * Installs the app in a new sandbox portal the way an admin would: the bridge's /oauth/install, HubSpot's consent page
 * (choosing "a new portal"), and the bridge's callback, which stores the portal's OAuth tokens.
 */
async function installInNewPortal(system: LocalSystem): Promise<string> {
  const before = new Set((await info(system.urls.hubspot)).portals.map((p) => p.portalId));
  const install = await expect(
    await fetch(`${system.urls.api}/oauth/install`, { redirect: 'manual' }),
    302,
    'GET /oauth/install',
  );
  // The bridge sends the admin to HubSpot's own authorize page; the sandbox serves the same form.
  const authorize = new URL(install.headers.get('location')!);
  const form = new URLSearchParams({ ...Object.fromEntries(authorize.searchParams), portalId: 'new' });
  const consent = await expect(
    await fetch(`${system.urls.hubspot}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' }),
    302,
    'POST /oauth/authorize',
  );
  await expect(await fetch(consent.headers.get('location')!, { redirect: 'manual' }), 200, 'the install callback');
  const added = (await info(system.urls.hubspot)).portals.find((p) => !before.has(p.portalId));
  if (!added) throw new Error('the install created no portal');
  return added.portalId;
}

/**
 * `count` portals, each with the app installed and one generic channel account created in HubSpot (with the portal's
 * token) and stored in the bridge with its own signing secret, like the local run's demo account.
 */
export async function createPortals(system: LocalSystem, dataDir: string, count: number): Promise<BenchPortal[]> {
  const store = openSqliteStore({
    path: path.join(dataDir, 'bridge.sqlite'),
    encryptionKey: Buffer.from(system.bridgeEnv.BRIDGE_ENCRYPTION_KEY!, 'base64'),
  });
  const callbackUrl = `${system.urls.generic}/connector/callback`;
  try {
    const portals: BenchPortal[] = [];
    for (let k = 0; k < count; k++) {
      const portalId = await installInNewPortal(system);
      const portal = (await info(system.urls.hubspot)).portals.find((p) => p.portalId === portalId)!;
      const deliveryIdentifier = { type: 'CHANNEL_SPECIFIC_OPAQUE_ID' as const, value: `bench-portal-${k}` };
      const created = await expect(
        await fetch(`${system.urls.hubspot}/conversations/v3/custom-channels/${system.channelId}/channel-accounts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${portal.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            inboxId: portal.inboxId,
            name: `Bench portal ${k}`,
            authorized: true,
            deliveryIdentifier,
          }),
        }),
        201,
        'creating a channel account',
      );
      const account = (await created.json()) as { id: string; name: string };
      // The generic connector emulator checks the bridge's reply callbacks with one secret, the demo account's: every
      // bench account shares it, so the replies of scenario 5 are delivered rather than refused.
      const signingSecret = system.account('generic').secret;
      await store.upsertAccount({
        accountId: asAccountId(account.id),
        portalId,
        channelId: system.channelId,
        provider: 'generic',
        name: account.name,
        deliveryIdentifier,
        authorized: true,
        credentials: { signingSecret, callbackUrl },
      });
      portals.push({
        portalId,
        account: {
          provider: 'generic',
          name: account.name,
          channelAccountId: account.id,
          webhookUrl: `${system.urls.api}/webhooks/generic/${account.id}`,
          secret: signingSecret,
        },
      });
    }
    return portals;
  } finally {
    await store.close();
  }
}
