import type { GenericMessage } from '../../../bridge/src/providers/generic/published-contract.js';

/** One event the emulator sent to the bridge, with every attempt, as a ledger entry. */
export interface OutgoingDelivery {
  readonly webhookId: string;
  readonly type: 'message.created' | 'message.status';
  readonly messageId: string;
  readonly body: unknown;
  /** `at` the attempt started, `answeredAt` its answer (or failure) came back. */
  readonly attempts: { at: string; answeredAt?: string; status?: number; error?: string; retryAfterSeconds?: number }[];
  outcome: 'pending' | 'delivered' | 'disabled' | 'gave-up';
  /** What the bridge answered last, parsed when it was JSON. */
  lastAnswer?: unknown;
}

/** One request the bridge made to the emulator's callbackUrl. */
export interface ReceivedEvent {
  readonly seq: number;
  readonly at: string;
  readonly webhookId: string | undefined;
  /** What the receiver answered: 2xx accepted, 401 bad signature, or an injected fault. */
  readonly answered: number;
  readonly verified: boolean;
  readonly duplicate: boolean;
  readonly reason?: string;
  readonly event?: { type: string; timestamp?: string; data: unknown };
  /** The id the emulator gave the message (returned as `{messageId}`), for receipts. */
  readonly connectorMessageId?: string;
}

/**
 * An answer the receiver gives instead of accepting: `times` times in a row, or for a `share` of calls until cleared.
 */
export interface ReceiverFault {
  readonly status: number;
  readonly retryAfterSeconds?: number;
  readonly error?: string;
  times: number;
  /** 0-1, spread evenly over the calls (so runs are repeatable); `times` is then ignored. */
  readonly share?: number;
  seen?: number;
}

export interface StoredMedia {
  readonly contentType: string;
  readonly filename: string;
  readonly data: Buffer;
}

export interface GenericSandboxState {
  bridgeUrl: string;
  signingSecret: string;
  /** Set once the bridge answered 410: the emulator stops sending, as Standard Webhooks says. */
  disabledByBridge: boolean;
  readonly outgoing: OutgoingDelivery[];
  readonly received: ReceivedEvent[];
  readonly faults: ReceiverFault[];
  latencyMs: number;
  readonly media: Map<string, StoredMedia>;
  /** The messages the customer sent, for the page. */
  readonly sent: GenericMessage[];
  seq: number;
}

export function createGenericSandboxState(init: { bridgeUrl: string; signingSecret: string }): GenericSandboxState {
  return {
    bridgeUrl: init.bridgeUrl,
    signingSecret: init.signingSecret,
    disabledByBridge: false,
    outgoing: [],
    received: [],
    faults: [],
    latencyMs: 0,
    media: new Map(),
    sent: [],
    seq: 0,
  };
}

export const nextSeq = (state: GenericSandboxState) => ++state.seq;

// ── Saved between runs (packages/sandbox/src/persistence.ts) ──

/**
 * What a restart keeps: what the customer sent and the emulator delivered (unfinished deliveries are resumed, see
 * resume.ts), what the bridge sent back, the media the emulator serves, whether the bridge disabled the endpoint
 * (410), and the sequence. Not kept: the bridge URL and signing secret (configuration, given again at each start),
 * injected faults and latency.
 */
export type SavedGenericState = Pick<
  GenericSandboxState,
  'disabledByBridge' | 'outgoing' | 'received' | 'media' | 'sent' | 'seq'
>;

export function savedGenericState(state: GenericSandboxState): SavedGenericState {
  const { disabledByBridge, outgoing, received, media, sent, seq } = state;
  return { disabledByBridge, outgoing, received, media, sent, seq };
}

/** Puts a saved world into a freshly created state, before it serves. */
export function restoreGenericState(state: GenericSandboxState, saved: SavedGenericState): void {
  state.disabledByBridge = saved.disabledByBridge;
  state.seq = saved.seq;
  state.media.clear();
  for (const [id, media] of saved.media) state.media.set(id, media);
  for (const key of ['outgoing', 'received', 'sent'] as const) {
    const target = state[key] as unknown[];
    target.length = 0;
    for (const item of saved[key]) target.push(item);
  }
}
