import { z } from 'zod';
import type { ProviderKind } from '../../domain/ids.js';
import type { ConnectContext as ProviderConnectContext, ProviderSetup } from '../../providers/module.js';
import { moduleFor, settingsFor } from '../../providers/registry.js';
import { claimOrRefuse, releaseConnection } from './already-connected.js';
import type { ConnectDeps } from './deps.js';
import { ConnectError, providerConnectError } from './errors.js';
import type { ProviderIdentity } from './identity.js';

export type { ProviderSetup } from '../../providers/module.js';

function parseForm<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ConnectError(400, parsed.error.issues.map((i) => i.message).join(' '));
  return parsed.data;
}

/** The portal the route already checked (src/api/routes/connect.ts): the form carries it. */
const portalOf = (body: unknown) => String((body as { portalId?: unknown } | null)?.portalId ?? '').trim();

export const webhookUrl = (deps: ConnectDeps, provider: ProviderKind, connectionId: string) =>
  `${deps.publicUrl}/webhooks/${provider}/${connectionId}`;

/**
 * Checks the posted form with the provider's schema, then runs its module's live setup: it checks the credentials
 * against the provider, refuses a provider account that is already connected (or being connected) anywhere in this
 * bridge and claims it, and only then points its webhook at the bridge.
 */
export function setUpProvider(
  deps: ConnectDeps,
  provider: ProviderKind,
  connectionId: string,
  body: unknown,
): Promise<ProviderSetup> {
  const module = moduleFor(provider);
  if (!module.connect) throw new ConnectError(400, `${module.displayName} accounts are not connected from this page.`);
  const form = parseForm(module.connect.form, body);
  const context: ProviderConnectContext<unknown> = {
    settings: settingsFor(provider, deps.providers),
    connectionId,
    publicUrl: deps.publicUrl,
    webhookUrl: webhookUrl(deps, provider, connectionId),
    fetch: deps.fetch ?? fetch,
    claim: (claim) =>
      claimOrRefuse(deps, {
        provider,
        ...claim,
        identity: claim.identity as ProviderIdentity | undefined,
        connectionId,
        portalId: portalOf(body),
      }),
    release: () => releaseConnection(deps, connectionId),
    providerError: providerConnectError,
    warn: (fields, message) => deps.logger.warn({ connectionId, ...fields }, message),
  };
  return module.connect.setup(form, context);
}
