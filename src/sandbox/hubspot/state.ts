import { EventEmitter } from 'node:events';
import { randomBytes, randomInt } from 'node:crypto';
import { resolveOptions, type SandboxOptions, type ResolvedSandboxOptions } from './options.js';

export type { SandboxOptions, ResolvedSandboxOptions } from './options.js';

export interface SandboxApp {
  readonly appId: number;
  readonly developerApiKey: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface SandboxPortal {
  readonly portalId: string;
  /** A static token that never expires (like a private-app token), so simple tests need no OAuth dance. */
  readonly accessToken: string;
  /** The portal's default inbox. */
  readonly inboxId: string;
  /** The HubSpot user who installed the app (`userId` on staging tokens, `A-{userId}` as the rep's actor id). */
  readonly userId: number;
}

/** `PublicInbox`: a conversations inbox or a help desk. */
export interface SandboxInbox {
  id: string;
  portalId: string;
  name: string;
  type: 'INBOX' | 'HELP_DESK';
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface SandboxChannel {
  id: string;
  name: string;
  webhookUrl?: string;
  channelAccountConnectionRedirectUrl?: string;
  channelDescription?: string;
  channelLogoUrl?: string;
  capabilities: Record<string, unknown>;
  createdAt: string;
  /** DELETE archives a channel; an archived channel is gone for every call. */
  archived?: boolean;
}

export interface SandboxDeliveryIdentifier {
  type: string;
  value: string;
}

export interface SandboxChannelAccount {
  id: string;
  channelId: string;
  portalId: string;
  inboxId: string;
  name: string;
  authorized: boolean;
  active: boolean;
  archived: boolean;
  archivedAt?: string;
  createdAt: string;
  deliveryIdentifier?: SandboxDeliveryIdentifier;
}

/** What the connect flow holds between "Connect a channel" and "Finish". */
export interface SandboxStagingToken {
  accountToken: string;
  portalId: string;
  channelId: string;
  inboxId: string;
  userId: number;
  createdAt: string;
  accountName?: string;
  deliveryIdentifier?: SandboxDeliveryIdentifier;
  /** Set once the admin finished: the token cannot be used again (409). */
  channelAccountId?: string;
}

export interface SandboxThread {
  id: string;
  portalId: string;
  channelAccountId: string;
  integrationThreadId?: string;
  status: 'OPEN' | 'CLOSED';
  createdAt: string;
  inboxId?: string;
  closedAt?: string;
  /** `A-{userId}` of the rep who owns the thread, when assigned. */
  assignedTo?: string;
  /** DELIVERY_IDENTIFIER threading: the customer's identifiers, sorted, as one key. */
  deliveryIdentifierKey?: string;
  associatedContactId?: string;
  latestMessageTimestamp?: string;
}

export interface SandboxParticipant {
  name?: string;
  actorId?: string;
  deliveryIdentifier: SandboxDeliveryIdentifier;
}

export interface SandboxStatusUpdate {
  statusType: 'SENT' | 'FAILED' | 'READ';
  errorMessage?: string;
  at: string;
}

export interface SandboxMessage {
  id: string;
  portalId: string;
  channelId: string;
  channelAccountId: string;
  conversationsThreadId: string;
  direction: 'INCOMING' | 'OUTGOING';
  text: string;
  richText?: string;
  senders: SandboxParticipant[];
  recipients: SandboxParticipant[];
  attachments: Record<string, unknown>[];
  integrationIdempotencyId?: string;
  inReplyToId?: string;
  timestamp: string;
  createdAt: string;
  updatedAt?: string;
  /** `A-{userId}` for a rep's reply; `V-{contactId}` for a customer's message. */
  createdBy?: string;
  status: {
    statusType: 'RECEIVED' | 'SENT' | 'FAILED' | 'READ';
    failureDetails?: { errorMessage?: string; errorMessageTokens?: Record<string, unknown> };
  };
  /** Sandbox-only: every status the integration reported (PATCH), oldest first. Lets pages show "awaiting delivery". */
  statusUpdates?: SandboxStatusUpdate[];
}

/** A file uploaded through the Files API (or by a rep), with its bytes. */
export interface SandboxFile {
  id: string;
  portalId: string;
  name: string;
  extension: string;
  path: string;
  parentFolderId: string;
  size: number;
  type: 'IMG' | 'DOCUMENT' | 'AUDIO' | 'MOVIE' | 'OTHER';
  contentType: string;
  access: string;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  bytes: Buffer;
}

export interface SandboxSignedUrl {
  fileId: string;
  expiresAt: number;
}

export interface SandboxAccessToken {
  portalId: string;
  scopes: string[];
  /** Epoch ms; undefined for the portal's static token. */
  expiresAt?: number;
}

export interface SandboxOAuth {
  /** code → what it grants; a code is single use. */
  readonly codes: Map<string, { portalId: string; redirectUri: string; scopes: string[]; expiresAt: number }>;
  readonly accessTokens: Map<string, SandboxAccessToken>;
  readonly refreshTokens: Map<string, { portalId: string; scopes: string[] }>;
}

/** An injected fault: applies to the next `remaining` matching calls, or to a `share` (0..1) of them. */
export interface SandboxFault {
  id: string;
  kind: 'status' | 'rate-limit' | 'latency' | 'drop' | 'timeout-after-accept';
  /** For `status`: the HTTP status to answer (default 503). */
  status?: number;
  /** For `latency`: how long to hold the request before handling it. */
  latencyMs?: number;
  /** Only calls whose path contains this string. */
  pathContains?: string;
  /** Only calls with this method. */
  method?: string;
  /** Calls left; undefined means "until removed". */
  remaining?: number;
  /** Probability (0..1) that a matching call is hit; default 1. */
  share?: number;
  /** How many calls it hit so far. */
  hits: number;
}

/** One attempt to deliver a webhook event to a channel's webhookUrl. */
export interface WebhookDelivery {
  readonly eventId: string;
  readonly type: string;
  readonly url: string;
  readonly attempt: number;
  readonly at: string;
  readonly status?: number;
  readonly error?: string;
  readonly body: unknown;
}

/** One request the sandbox received, for tests that count what the bridge did. */
export interface LedgerEntry {
  readonly seq: number;
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body?: unknown;
  /** Set when an injected fault changed what the caller saw. */
  readonly fault?: SandboxFault['kind'];
}

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
