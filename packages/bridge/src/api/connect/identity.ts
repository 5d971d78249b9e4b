import type { ProviderKind } from '../../domain/ids.js';
import { findModule } from '../../providers/registry.js';

/**
 * What at a provider may serve one channel account only: connecting it a second time would take it from the first.
 * Built from what the connection form checked live, and from any stored account's credentials, so an account that
 * came from configuration (the demo accounts of `npm start`) or an older release is recognised too, whatever delivery
 * identifier it was given. Never holds a secret. Each provider's module says what its identity is (`identityOf`).
 */
export type ProviderIdentity = string & { readonly __brand: 'ProviderIdentity' };

/** The identity of a stored account, from its credentials; undefined when they do not name one. */
export function identityOfCredentials(
  provider: ProviderKind,
  credentials: Readonly<Record<string, string>>,
): ProviderIdentity | undefined {
  return findModule(provider)?.identityOf?.(credentials) as ProviderIdentity | undefined;
}
