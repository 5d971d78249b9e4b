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

export interface WhatsAppSandboxState {
  readonly options: ResolvedOptions;
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

// ── Saved between runs (src/sandbox/persistence.ts) ──

/**
 * What a restart keeps: the webhook subscription, the sandbox clock and status mode, customers, media (and their
 * URLs), what either side sent, and the webhook deliveries (unfinished ones are resumed, see resume.ts). Not kept:
 * the options (from the environment), the request log (for tests, growing with every call), faults and timers.
 */
export type SavedWhatsAppState = Pick<WhatsAppSandboxState, 'webhook' | 'clockOffsetMs' | 'statusMode' | 'customers' | 'media' | 'mediaUrls' | 'sent' | 'received' | 'deliveries'>;

export function savedWhatsAppState(state: WhatsAppSandboxState): SavedWhatsAppState {
  const { webhook, clockOffsetMs, statusMode, customers, media, mediaUrls, sent, received, deliveries } = state;
  return { webhook, clockOffsetMs, statusMode, customers, media, mediaUrls, sent, received, deliveries };
}

/** Puts a saved world into a freshly created state, before it serves. */
export function restoreWhatsAppState(state: WhatsAppSandboxState, saved: SavedWhatsAppState): void {
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
