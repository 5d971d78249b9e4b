// The records the HubSpot sandbox keeps, one interface per HubSpot object. state.ts re-exports them.

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
  /** The portal whose bearer token made the call (per-portal rate accounting); absent for other credentials. */
  readonly portalId?: string;
  /** Set when an injected fault changed what the caller saw. */
  readonly fault?: SandboxFault['kind'];
  /**
   * A publish that repeated an `integrationIdempotencyId`: the earlier message's id, answered again (201 like the
   * first).
   */
  readonly repeatOf?: string;
}
