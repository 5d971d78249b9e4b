import type { Store } from '../../../bridge/src/store/types.js';
import {
  accountWebhookUrl,
  DEMO_PROVIDERS,
  repointDemoChannel,
  type DemoAccount,
  type DemoProvider,
  type SandboxInfo,
} from './demo-seed.js';
import { UnusableWorldError, type DemoWorld } from './demo-world.js';

export interface ReuseContext {
  readonly dataDir: string;
  readonly sandboxUrl: string;
  /** `/_sandbox/info` once the sandbox loaded its saved state. */
  readonly info: SandboxInfo;
  readonly apiPublicUrl: string;
  readonly store: Store;
  /** This run's customer page per provider. */
  readonly customerPages: Readonly<Record<DemoProvider, string>>;
  /** Where this run's generic emulator takes the bridge's replies. */
  readonly genericCallbackUrl: string;
  /**
   * Connects the demo account of a provider the saved world has none of (a world saved before that provider had an
   * emulator), by provider; a world missing any other provider's account is unusable.
   */
  readonly seedMissing?: Partial<Record<DemoProvider, (channelId: string) => Promise<DemoAccount>>>;
}

/**
 * Checks a saved world against what the HubSpot sandbox loaded and what the bridge's store holds, then points it at
 * this run's ports (which may differ from the last run's). Throws UnusableWorldError naming the first thing missing.
 * Returns the accounts with this run's webhook URLs and customer pages.
 */
export async function reuseDemoWorld(ctx: ReuseContext, world: DemoWorld): Promise<DemoAccount[]> {
  const unusable = (why: string) => new UnusableWorldError(ctx.dataDir, why);
  if (!ctx.info.channels?.some((c) => c.id === world.channelId && !c.archived)) {
    throw unusable(
      `its channel ${world.channelId} is not in the HubSpot sandbox (its saved state is missing or from another world)`,
    );
  }
  const missing = DEMO_PROVIDERS.filter((provider) => !world.accounts.some((a) => a.provider === provider));
  const unseedable = missing.find((provider) => !ctx.seedMissing?.[provider]);
  if (unseedable) throw unusable(`it has no ${unseedable} demo account`);
  for (const account of world.accounts) {
    const name = `${account.provider} account ${account.channelAccountId}`;
    if (
      !ctx.info.channelAccounts?.some(
        (a) => a.id === account.channelAccountId && a.channelId === world.channelId && !a.archived,
      )
    ) {
      throw unusable(`its ${name} is not in the HubSpot sandbox`);
    }
    const stored = await ctx.store.getAccount(account.channelAccountId).catch((error: Error) => {
      throw unusable(`the bridge's store cannot read its ${name} (${error.message})`);
    });
    if (!stored) throw unusable(`the bridge's store has no ${name}`);
    if (account.provider === 'generic' && stored.credentials.callbackUrl !== ctx.genericCallbackUrl) {
      await ctx.store.upsertAccount({
        ...stored,
        credentials: { ...stored.credentials, callbackUrl: ctx.genericCallbackUrl },
      });
    }
    // Twilio signs the URL it calls, checked against the stored one: this run's api port may differ.
    const webhookUrl = accountWebhookUrl(ctx.apiPublicUrl, account.provider, account.channelAccountId);
    if (account.provider === 'twilio' && stored.credentials.webhookUrl !== webhookUrl) {
      await ctx.store.upsertAccount({ ...stored, credentials: { ...stored.credentials, webhookUrl } });
    }
  }
  const accounts = [...world.accounts];
  for (const provider of missing) accounts.push(await ctx.seedMissing![provider]!(world.channelId));
  await repointDemoChannel(ctx.sandboxUrl, ctx.info, world.channelId, ctx.apiPublicUrl);
  return accounts.map((account) => ({
    ...account,
    webhookUrl: accountWebhookUrl(ctx.apiPublicUrl, account.provider, account.channelAccountId),
    customerPage: ctx.customerPages[account.provider],
  }));
}
