import { randomBytes } from 'node:crypto';
import type { ResolvedOptions } from './options.js';

/** A file either side sent: uploaded by the business or attached by the customer. */
export interface StoredMedia {
  readonly id: string;
  readonly mimeType: string;
  readonly data: Buffer;
  readonly sha256Hex: string;
  readonly filename?: string;
  readonly owner: 'business' | 'customer';
}

export interface StatusRecord {
  readonly status: string;
  readonly at: string;
  readonly errorCode?: number;
}

/** What the business sent, as the emulator accepted it. */
export interface SentMessage {
  readonly seq: number;
  readonly wamid: string;
  readonly to: string;
  readonly type: string;
  readonly request: Record<string, unknown>;
  readonly mediaId?: string;
  readonly at: string;
  readonly outsideWindow: boolean;
  readonly statuses: StatusRecord[];
}

/** What the customer sent. */
export interface CustomerMessage {
  readonly wamid: string;
  readonly from: string;
  readonly message: Record<string, unknown>;
  readonly at: string;
  readBy?: string;
}

export interface DeliveryAttempt {
  readonly at: string;
  /** When the answer (or the failure) came back. */
  readonly answeredAt?: string;
  readonly status?: number;
  readonly error?: string;
}

/** One webhook POST and its attempts. */
export interface WebhookDelivery {
  readonly seq: number;
  readonly kind: 'message' | 'status';
  readonly body: unknown;
  readonly raw: string;
  readonly attempts: DeliveryAttempt[];
  delivered: boolean;
  gaveUp: boolean;
}

export interface RequestRecord {
  readonly seq: number;
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export const STATUS_MODES = ['in_order', 'out_of_order', 'duplicated', 'manual'] as const;
export type StatusMode = (typeof STATUS_MODES)[number];

export const FAULT_KINDS = ['rate_limit', 'pair_rate_limit', 'server_error', 'latency'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** An injected fault: for the next `remaining` calls, or for a `share` (0..1) of calls until cleared. */
export interface Fault {
  readonly kind: FaultKind;
  remaining?: number;
  readonly share?: number;
  readonly latencyMs?: number;
  /** Which Graph calls it applies to. */
  readonly scope: 'messages' | 'media' | 'all';
}

export interface Customer {
  name: string;
  /** Sandbox-clock ms of their last message: the 24-hour window starts here. */
  lastInboundAt?: number;
}

/**
 * What sets one business number apart from another: its Graph ids, its name, and the app credentials the bridge's
 * connect popup asks for. Meta gives each app its own secret and webhook; the emulator gives each number its own.
 */
export interface NumberIdentity {
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string;
  readonly verifiedName: string;
  readonly wabaId: string;
  readonly accessToken: string;
  readonly appSecret: string;
  readonly verifyToken: string;
}

export interface WhatsAppSandboxState {
  readonly options: ResolvedOptions;
  /**
   * Other business numbers, made on the API setup page (numbers.ts), by phone number id. Each is a world of its own
   * (customers, media, ledger, webhook), served at the same Graph address: a request with its access token is its.
   */
  readonly numbers: Map<string, WhatsAppSandboxState>;
  webhook: { url?: string; verifyToken: string; verified: boolean; lastHandshake?: string };
  /** Added to the real clock; the 24-hour window and media URL expiry read this clock. */
  clockOffsetMs: number;
  statusMode: StatusMode;
  readonly customers: Map<string, Customer>;
  readonly media: Map<string, StoredMedia>;
  /** Media URL token → media id and expiry (sandbox clock ms). */
  readonly mediaUrls: Map<string, { mediaId: string; expiresAt: number }>;
  readonly sent: SentMessage[];
  readonly received: CustomerMessage[];
  readonly deliveries: WebhookDelivery[];
  readonly requests: RequestRecord[];
  faults: Fault[];
  readonly timers: Set<NodeJS.Timeout>;
}

export function createWhatsAppSandboxState(options: ResolvedOptions): WhatsAppSandboxState {
  return {
    options,
    numbers: new Map(),
    webhook: { url: options.webhookUrl, verifyToken: options.verifyToken, verified: false },
    clockOffsetMs: 0,
    statusMode: 'in_order',
    customers: new Map(),
    media: new Map(),
    mediaUrls: new Map(),
    sent: [],
    received: [],
    deliveries: [],
    requests: [],
    faults: [],
    timers: new Set(),
  };
}

/**
 * Another number beside `primary`: its identity, and the primary's timings (status gaps, retries, media URL lifetime).
 */
export function createNumberState(primary: WhatsAppSandboxState, identity: NumberIdentity): WhatsAppSandboxState {
  return createWhatsAppSandboxState({ ...primary.options, ...identity, webhookUrl: undefined });
}

export const identityOf = ({ options }: WhatsAppSandboxState): NumberIdentity => ({
  phoneNumberId: options.phoneNumberId,
  displayPhoneNumber: options.displayPhoneNumber,
  verifiedName: options.verifiedName,
  wabaId: options.wabaId,
  accessToken: options.accessToken,
  appSecret: options.appSecret,
  verifyToken: options.verifyToken,
});

export const now = (state: WhatsAppSandboxState) => Date.now() + state.clockOffsetMs;
export const unixSeconds = (state: WhatsAppSandboxState) => String(Math.floor(now(state) / 1000));

/** `wamid.` + base64 of random bytes, the shape Meta's ids have. */
export const newWamid = () => `wamid.${randomBytes(24).toString('base64')}`;
/** Graph object ids are long decimal numbers. */
export const newGraphId = () => String(BigInt(`0x${randomBytes(7).toString('hex')}`));

/** Runs `fn` after `ms` unless the sandbox is stopped first. */
export function later(state: WhatsAppSandboxState, ms: number, fn: () => void): void {
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    fn();
  }, ms);
  timer.unref();
  state.timers.add(timer);
}

// ── Saved between runs (packages/sandbox/src/persistence.ts) ──

/**
 * What a restart keeps: the webhook subscription, the sandbox clock and status mode, customers, media (and their
 * URLs), what either side sent, and the webhook deliveries (unfinished ones are resumed, see resume.ts), and the other
 * numbers made on the API setup page, each with its identity and its own world. Not kept: the options (from the
 * environment), the request log (for tests, growing with every call), faults and timers. The other numbers' unfinished
 * deliveries are not resumed after a restart: saving their webhook again on the API setup page sends them.
 */
type SavedWorld = Pick<
  WhatsAppSandboxState,
  'webhook' | 'clockOffsetMs' | 'statusMode' | 'customers' | 'media' | 'mediaUrls' | 'sent' | 'received' | 'deliveries'
>;
export type SavedWhatsAppState = SavedWorld & {
  /** Optional: saves from before the API setup page have none. */
  readonly numbers?: ReadonlyMap<string, { readonly identity: NumberIdentity; readonly world: SavedWorld }>;
};

function savedWorld(state: WhatsAppSandboxState): SavedWorld {
  const { webhook, clockOffsetMs, statusMode, customers, media, mediaUrls, sent, received, deliveries } = state;
  return { webhook, clockOffsetMs, statusMode, customers, media, mediaUrls, sent, received, deliveries };
}

export function savedWhatsAppState(state: WhatsAppSandboxState): SavedWhatsAppState {
  const numbers = new Map(
    [...state.numbers].map(([id, number]) => [id, { identity: identityOf(number), world: savedWorld(number) }]),
  );
  return { ...savedWorld(state), numbers };
}

function restoreWorld(state: WhatsAppSandboxState, saved: SavedWorld): void {
  state.webhook = saved.webhook;
  state.clockOffsetMs = saved.clockOffsetMs;
  state.statusMode = saved.statusMode;
  for (const key of ['customers', 'media', 'mediaUrls'] as const) {
    const target = state[key] as Map<string, unknown>;
    target.clear();
    for (const [k, v] of saved[key]) target.set(k, v);
  }
  for (const key of ['sent', 'received', 'deliveries'] as const) {
    const target = state[key] as unknown[];
    target.length = 0;
    for (const item of saved[key]) target.push(item);
  }
}

/** Puts a saved world into a freshly created state, before it serves. */
export function restoreWhatsAppState(state: WhatsAppSandboxState, saved: SavedWhatsAppState): void {
  restoreWorld(state, saved);
  state.numbers.clear();
  for (const [id, { identity, world }] of saved.numbers ?? []) {
    const number = createNumberState(state, identity);
    restoreWorld(number, world);
    state.numbers.set(id, number);
  }
}
