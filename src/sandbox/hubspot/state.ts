import { EventEmitter } from 'node:events';
import { randomBytes, randomInt } from 'node:crypto';
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
  readonly app: SandboxApp;
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

export function createHubSpotSandboxState(options: SandboxOptions = {}): HubSpotSandboxState {
  let counter = randomInt(1_000_000, 9_000_000);
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
    nextId: () => String(++counter),
  };
  addPortal(state);
  return state;
}
