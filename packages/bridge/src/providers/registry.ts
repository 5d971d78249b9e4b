import { createHash } from 'node:crypto';
import type { AccountId, ProviderKind } from '../domain/ids.js';
import { trusting, type AddressPolicy, type HostLookup } from '../net/address-policy.js';
import { createGuardedFetch } from '../net/guarded-connect.js';
import { genericProvider } from './generic/module.js';
import {
  MissingCredentialError,
  type AdapterContext,
  type Credentials,
  type PacingRule,
  type ProviderModule,
} from './module.js';
import { telegramProvider } from './telegram/module.js';
import { twilioProvider } from './twilio/index.js';
import type { HttpFetch, MediaUrlSigner, ProviderAdapter } from './types.js';
import { whatsappProvider } from './whatsapp/module.js';

export { MissingCredentialError } from './module.js';

/**
 * Every provider the bridge knows, in the order pages, `.env.example` and lists show them. The only place that names
 * each module: adding a provider is its folder, one import and one entry here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each module has its own settings type
const MODULES: readonly ProviderModule<any>[] = [telegramProvider, whatsappProvider, twilioProvider, genericProvider];

/** Thrown when a kind names no registered provider (a stored row from a removed provider, a mistyped URL). */
export class UnknownProviderError extends Error {
  constructor(readonly kind: string) {
    super(`unknown provider "${kind}"`);
    this.name = 'UnknownProviderError';
  }
}

export const providerModules = (): readonly ProviderModule[] => MODULES;
export const providerKinds = (): readonly ProviderKind[] => MODULES.map((m) => m.kind);
export const isProviderKind = (kind: string): kind is ProviderKind => MODULES.some((m) => m.kind === kind);
/** The module of a kind, or undefined. */
export const findModule = (kind: string): ProviderModule | undefined => MODULES.find((m) => m.kind === kind);
/** The module of a kind; throws UnknownProviderError. */
export function moduleFor(kind: string): ProviderModule {
  const module = findModule(kind);
  if (!module) throw new UnknownProviderError(kind);
  return module;
}

/** Each provider's settings, by kind: what src/config.ts built from the env, or a test's. */
export type ProviderSettingsByKind = Readonly<Record<ProviderKind, unknown>>;

/**
 * A module's settings from the parsed env: each of its settings through its schema (so defaults apply), then `fromEnv`.
 */
export function settingsFromEnv(module: ProviderModule, env: Readonly<Record<string, unknown>>): unknown {
  const parsed = Object.fromEntries(
    Object.entries(module.settings.env).map(([name, setting]) => [name, setting.schema.parse(env[name])]),
  );
  return module.settings.fromEnv(parsed);
}

const defaults = new Map<ProviderKind, unknown>();
/** A module's settings with nothing configured: the real service. */
function defaultSettings(module: ProviderModule): unknown {
  if (!defaults.has(module.kind)) defaults.set(module.kind, settingsFromEnv(module, {}));
  return defaults.get(module.kind);
}

/**
 * The settings a provider's hooks get: the configured ones, else its defaults. A partial object (a test giving only an
 * API base URL) is laid over the defaults.
 */
export function settingsFor(kind: ProviderKind, settings: Partial<ProviderSettingsByKind> | undefined): unknown {
  const module = moduleFor(kind);
  const given = settings?.[kind];
  const base = defaultSettings(module);
  return given && typeof given === 'object' && base && typeof base === 'object'
    ? { ...base, ...given }
    : (given ?? base);
}

/** The pacing of every provider's replies, by kind. */
export function pacingOf(settings?: Partial<ProviderSettingsByKind>): Readonly<Record<ProviderKind, PacingRule>> {
  return Object.fromEntries(MODULES.map((m) => [m.kind, m.settings.pacing(settingsFor(m.kind, settings))]));
}

/** Where each provider's API lives: the real services by default, the sandboxes locally and in tests. */
export interface ProviderEndpoints {
  /** Each provider's settings (API base URL, pacing…), by kind; a missing kind gets its defaults. */
  readonly settings?: Partial<ProviderSettingsByKind>;
  /**
   * Hosts media may be fetched from although they are private (BRIDGE_ALLOW_PRIVATE_MEDIA_HOSTS: sandboxes only).
   * Without it every media URL, and every redirect, must resolve to public addresses; the configured API origins are
   * trusted as they are.
   */
  readonly allowPrivateMediaHosts?: readonly string[];
  /** Resolves host names for the address checks. @default the system resolver (tests inject names) */
  readonly lookup?: HostLookup;
  /** The worker's media links (src/media-links/), handed to every adapter as `AdapterContext.mediaUrlFor`. */
  readonly mediaUrlFor?: MediaUrlSigner;
}

/** One guarded fetch per policy, so connections are pooled across activities instead of per call. */
const guardedFetches = new Map<string, HttpFetch>();
function guardedFetchFor(policy: AddressPolicy): HttpFetch {
  if (policy.lookup) return createGuardedFetch(policy);
  const key = JSON.stringify(policy);
  let fetch = guardedFetches.get(key);
  if (!fetch) guardedFetches.set(key, (fetch = createGuardedFetch(policy)));
  return fetch;
}

function adapterContext(
  account: StoredAccount,
  endpoints: ProviderEndpoints,
  fetch: HttpFetch | undefined,
): AdapterContext<unknown> {
  const mediaPolicy: AddressPolicy = { allowPrivateHosts: endpoints.allowPrivateMediaHosts, lookup: endpoints.lookup };
  return {
    accountId: account.accountId as AccountId,
    credentials: account.credentials,
    credential(name) {
      const value = account.credentials[name];
      if (!value) throw new MissingCredentialError(account.accountId, name);
      return value;
    },
    settings: settingsFor(account.provider, endpoints.settings),
    mediaPolicy,
    publicFetch: fetch ?? guardedFetchFor(mediaPolicy),
    fetchTrusting: (baseUrl) => fetch ?? guardedFetchFor(trusting(mediaPolicy, baseUrl)),
    ...(endpoints.mediaUrlFor ? { mediaUrlFor: endpoints.mediaUrlFor } : {}),
  };
}

/** What the registry needs of a stored account. */
export interface StoredAccount {
  readonly accountId: string;
  readonly provider: ProviderKind;
  readonly credentials: Credentials;
}

/**
 * Adapters by account, credentials and endpoints: building one is cheap but not free (a WhatsApp context, closures),
 * and activities ask for it on every call. A reconnect with new credentials has another key, so it gets a new adapter.
 * Bounded: the oldest entry goes first.
 */
const MAX_CACHED_ADAPTERS = 1_000;
const adapters = new Map<string, ProviderAdapter>();
const endpointIds = new WeakMap<ProviderEndpoints, number>();
let nextEndpointId = 0;

function cacheKey(account: StoredAccount, endpoints: ProviderEndpoints): string {
  let id = endpointIds.get(endpoints);
  if (id === undefined) endpointIds.set(endpoints, (id = nextEndpointId++));
  // A digest, so the cache key never holds a secret as it is.
  const credentials = createHash('sha256')
    .update(JSON.stringify(Object.entries(account.credentials).sort()))
    .digest('base64url');
  return `${id}:${account.provider}:${account.accountId}:${credentials}`;
}

const NO_ENDPOINTS: ProviderEndpoints = {};

/**
 * The one place that turns a stored account into its provider's adapter. Without an injected `fetch`, every call the
 * adapter makes is checked against the address policy when it connects (src/net/guarded-connect.ts), and the adapter is
 * cached; with one (tests), it is built anew. Throws UnknownProviderError and MissingCredentialError.
 */
export function adapterFor(
  account: StoredAccount,
  endpoints: ProviderEndpoints = NO_ENDPOINTS,
  fetch?: HttpFetch,
): ProviderAdapter {
  const module = moduleFor(account.provider);
  if (fetch) return module.createAdapter(adapterContext(account, endpoints, fetch));
  const key = cacheKey(account, endpoints);
  let adapter = adapters.get(key);
  if (adapter) {
    adapters.delete(key); // re-inserted below: the map's order is then least recently used first
  } else {
    adapter = module.createAdapter(adapterContext(account, endpoints, undefined));
    if (adapters.size >= MAX_CACHED_ADAPTERS) adapters.delete(adapters.keys().next().value!);
  }
  adapters.set(key, adapter);
  return adapter;
}
