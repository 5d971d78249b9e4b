import { randomBytes, randomInt } from 'node:crypto';

export interface SandboxApp {
  readonly appId: number;
  readonly developerApiKey: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface SandboxPortal {
  readonly portalId: string;
  readonly accessToken: string;
  readonly inboxId: string;
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
  createdAt: string;
  deliveryIdentifier?: SandboxDeliveryIdentifier;
}

export interface SandboxThread {
  id: string;
  portalId: string;
  channelAccountId: string;
  integrationThreadId?: string;
  status: 'OPEN' | 'CLOSED';
  createdAt: string;
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
  senders: { name?: string; deliveryIdentifier: SandboxDeliveryIdentifier }[];
  recipients: { name?: string; deliveryIdentifier: SandboxDeliveryIdentifier }[];
  attachments: Record<string, unknown>[];
  integrationIdempotencyId?: string;
  inReplyToId?: string;
  timestamp: string;
  createdAt: string;
  status: { statusType: 'RECEIVED' | 'SENT' | 'FAILED' | 'READ'; failureDetails?: { errorMessage?: string } };
}

/** One request the sandbox received, for tests that count what the bridge did. */
export interface LedgerEntry {
  readonly seq: number;
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body?: unknown;
}

/** Everything the HubSpot sandbox knows, in memory. Ids are numeric strings, as HubSpot's are. */
export interface HubSpotSandboxState {
  readonly app: SandboxApp;
  readonly portals: Map<string, SandboxPortal>;
  readonly channels: Map<string, SandboxChannel>;
  readonly channelAccounts: Map<string, SandboxChannelAccount>;
  readonly threads: Map<string, SandboxThread>;
  readonly messages: Map<string, SandboxMessage>;
  /** `{channelId}:{integrationIdempotencyId}` → message id. */
  readonly idempotency: Map<string, string>;
  readonly ledger: LedgerEntry[];
  nextId(): string;
}

const token = (prefix: string) => `${prefix}-${randomBytes(18).toString('base64url')}`;

export function createHubSpotSandboxState(): HubSpotSandboxState {
  let counter = randomInt(1_000_000, 9_000_000);
  const portal: SandboxPortal = { portalId: String(randomInt(10_000_000, 99_999_999)), accessToken: token('pat-sandbox'), inboxId: '1001' };
  return {
    app: {
      appId: randomInt(100_000, 999_999),
      developerApiKey: token('devkey'),
      clientId: randomBytes(16).toString('hex'),
      clientSecret: randomBytes(24).toString('hex'),
    },
    portals: new Map([[portal.portalId, portal]]),
    channels: new Map(),
    channelAccounts: new Map(),
    threads: new Map(),
    messages: new Map(),
    idempotency: new Map(),
    ledger: [],
    nextId: () => String(++counter),
  };
}
