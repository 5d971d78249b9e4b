import { EventEmitter } from 'node:events';
import { randomBytes, randomInt } from 'node:crypto';
import { inboxStateOf, type InboxPageState } from './inbox/inbox-state.js';
import { resolveOptions, type SandboxOptions, type ResolvedSandboxOptions } from './options.js';
import type {
  SandboxApp,
  SandboxPortal,
  SandboxInbox,
  SandboxChannel,
  SandboxChannelAccount,
  SandboxStagingToken,
  SandboxThread,
  SandboxMessage,
  SandboxFile,
  SandboxSignedUrl,
  SandboxOAuth,
  SandboxFault,
  WebhookDelivery,
  LedgerEntry,
} from './records.js';

export type { SandboxOptions, ResolvedSandboxOptions } from './options.js';
export type {
  SandboxApp,
  SandboxPortal,
  SandboxInbox,
  SandboxChannel,
  SandboxDeliveryIdentifier,
  SandboxChannelAccount,
  SandboxStagingToken,
  SandboxThread,
  SandboxParticipant,
  SandboxStatusUpdate,
  SandboxMessage,
  SandboxFile,
  SandboxSignedUrl,
  SandboxAccessToken,
  SandboxOAuth,
  SandboxFault,
  WebhookDelivery,
  LedgerEntry,
} from './records.js';

/** Names of the events `state.events` emits, for pages that refresh live. Payload: `{ id }` of the thing. */
export const SandboxEvent = {
  messageCreated: 'message.created',
  messageUpdated: 'message.updated',
  threadUpdated: 'thread.updated',
  accountUpdated: 'account.updated',
  webhookDelivered: 'webhook.delivered',
  fileCreated: 'file.created',
} as const;

/** Everything the HubSpot sandbox knows, in memory. Ids are numeric strings, as HubSpot's are. */
export interface HubSpotSandboxState {
  /** Replaced only when a saved world is restored (restoreHubSpotState). */
  app: SandboxApp;
  readonly options: ResolvedSandboxOptions;
  readonly portals: Map<string, SandboxPortal>;
  readonly inboxes: Map<string, SandboxInbox>;
  readonly channels: Map<string, SandboxChannel>;
  readonly channelAccounts: Map<string, SandboxChannelAccount>;
  readonly stagingTokens: Map<string, SandboxStagingToken>;
  readonly threads: Map<string, SandboxThread>;
  readonly messages: Map<string, SandboxMessage>;
  readonly files: Map<string, SandboxFile>;
  /** `{portalId}:{folderPath}` → folder id. */
  readonly folders: Map<string, string>;
  readonly signedUrls: Map<string, SandboxSignedUrl>;
  /** `{portalId}:{type}:{value}` → contact id, so one customer is one contact (`V-{id}`). */
  readonly contacts: Map<string, string>;
  /** `{portalId}:{channelId}:{integrationIdempotencyId}` → message id (one portal's ids never dedupe another's). */
  readonly idempotency: Map<string, string>;
  readonly oauth: SandboxOAuth;
  readonly faults: SandboxFault[];
  /** `{appId}:{portalId}` → epoch ms of the calls in the current window. */
  readonly rateWindows: Map<string, number[]>;
  readonly webhookDeliveries: WebhookDelivery[];
  readonly ledger: LedgerEntry[];
  /** The sandbox's own origin (`http://127.0.0.1:PORT`), learnt from each request; used in file and connect URLs. */
  origin: string;
  /** Emits the `SandboxEvent` names after each change, for live pages. */
  readonly events: EventEmitter;
  nextId(): string;
}

export const randomToken = (prefix: string) => `${prefix}-${randomBytes(18).toString('base64url')}`;

/** Adds a portal with its default inbox and help desk; used at start and by the OAuth install. */
export function addPortal(state: Pick<HubSpotSandboxState, 'portals' | 'inboxes' | 'oauth' | 'nextId'>): SandboxPortal {
  const now = new Date().toISOString();
  const inboxId = state.nextId();
  const portal: SandboxPortal = {
    portalId: String(randomInt(10_000_000, 99_999_999)),
    accessToken: randomToken('pat-sandbox'),
    inboxId,
    userId: randomInt(1_000_000, 9_999_999),
  };
  state.portals.set(portal.portalId, portal);
  state.oauth.accessTokens.set(portal.accessToken, { portalId: portal.portalId, scopes: ['*'] });
  const inbox = (id: string, name: string, type: SandboxInbox['type']): SandboxInbox => ({
    id,
    portalId: portal.portalId,
    name,
    type,
    createdAt: now,
    updatedAt: now,
    archived: false,
  });
  state.inboxes.set(inboxId, inbox(inboxId, 'Support inbox', 'INBOX'));
  const helpDeskId = state.nextId();
  state.inboxes.set(helpDeskId, inbox(helpDeskId, 'Help Desk', 'HELP_DESK'));
  return portal;
}

// The id counter lives beside the state, not in it, so it can be saved and restored without widening the type.
const idCounters = new WeakMap<HubSpotSandboxState, { last: number }>();

export function createHubSpotSandboxState(options: SandboxOptions = {}): HubSpotSandboxState {
  const ids = { last: randomInt(1_000_000, 9_000_000) };
  const state: HubSpotSandboxState = {
    app: {
      appId: randomInt(100_000, 999_999),
      developerApiKey: randomToken('devkey'),
      clientId: randomBytes(16).toString('hex'),
      clientSecret: randomBytes(24).toString('hex'),
    },
    options: resolveOptions(options),
    portals: new Map(),
    inboxes: new Map(),
    channels: new Map(),
    channelAccounts: new Map(),
    stagingTokens: new Map(),
    threads: new Map(),
    messages: new Map(),
    files: new Map(),
    folders: new Map(),
    signedUrls: new Map(),
    contacts: new Map(),
    idempotency: new Map(),
    oauth: { codes: new Map(), accessTokens: new Map(), refreshTokens: new Map() },
    faults: [],
    rateWindows: new Map(),
    webhookDeliveries: [],
    ledger: [],
    origin: 'http://127.0.0.1',
    events: new EventEmitter().setMaxListeners(0),
    nextId: () => String(++ids.last),
  };
  idCounters.set(state, ids);
  addPortal(state);
  return state;
}

// ── Saved between runs (packages/sandbox/src/persistence.ts) ──

/** The record maps a restart keeps as they are. */
const SAVED_RECORDS = [
  'portals',
  'inboxes',
  'channels',
  'channelAccounts',
  'stagingTokens',
  'threads',
  'messages',
  'files',
  'folders',
  'signedUrls',
  'contacts',
  'idempotency',
] as const;

/**
 * What a restart keeps: HubSpot's records, the app's credentials, OAuth codes and tokens, idempotency keys, the
 * webhook deliveries (unfinished ones are resumed, see resume.ts) and the inbox page's own settings. Not kept: the
 * options (read from the environment each run), the event emitter, injected faults and rate windows (transient by
 * nature), the learnt origin, and the ledger: a record of the calls this process answered, for tests, which grows
 * with every call.
 */
export interface SavedHubSpotState extends Pick<
  HubSpotSandboxState,
  (typeof SAVED_RECORDS)[number] | 'app' | 'oauth' | 'webhookDeliveries'
> {
  readonly lastId: number;
  readonly inboxPage: InboxPageState;
}

/** The live maps themselves: serializing copies them, so nothing is cloned here. */
export function savedHubSpotState(state: HubSpotSandboxState): SavedHubSpotState {
  const records = Object.fromEntries(SAVED_RECORDS.map((key) => [key, state[key]])) as Pick<
    HubSpotSandboxState,
    (typeof SAVED_RECORDS)[number]
  >;
  return {
    ...records,
    app: state.app,
    oauth: state.oauth,
    webhookDeliveries: state.webhookDeliveries,
    lastId: idCounters.get(state)?.last ?? 0,
    inboxPage: inboxStateOf(state),
  };
}

/** Puts a saved world into a freshly created state (its random app and portal are replaced), before it serves. */
export function restoreHubSpotState(state: HubSpotSandboxState, saved: SavedHubSpotState): void {
  state.app = saved.app;
  for (const key of SAVED_RECORDS) refill(state[key] as Map<string, unknown>, saved[key]);
  refill(state.oauth.codes, saved.oauth.codes);
  refill(state.oauth.accessTokens, saved.oauth.accessTokens);
  refill(state.oauth.refreshTokens, saved.oauth.refreshTokens);
  state.webhookDeliveries.length = 0;
  for (const delivery of saved.webhookDeliveries) state.webhookDeliveries.push(delivery);
  const ids = idCounters.get(state);
  if (ids) ids.last = saved.lastId;
  const page = inboxStateOf(state);
  refill(page.seen, saved.inboxPage.seen);
  refill(page.routing, saved.inboxPage.routing);
  refill(page.contactOwners, saved.inboxPage.contactOwners);
  refill(page.threadProperties, saved.inboxPage.threadProperties);
  page.routed.clear();
  for (const id of saved.inboxPage.routed) page.routed.add(id);
  page.turn = saved.inboxPage.turn;
}

function refill<K, V>(target: Map<K, V>, source: ReadonlyMap<K, V>): void {
  target.clear();
  for (const [key, value] of source) target.set(key, value);
}
