/** One call the HubSpot sandbox recorded (GET /_sandbox/ledger): the sandbox's own type. */
import type { LedgerEntry } from '../../../sandbox/src/hubspot/records.js';
export type { LedgerEntry };

export interface Publish {
  readonly key: string;
  readonly at: number;
  /** The sandbox's sequence number of the call: the order HubSpot recorded the publishes in. */
  readonly seq: number;
  readonly portalId?: string;
}

const PUBLISH = /^\/conversations\/(?:v3\/)?custom-channels\/[^/]+\/messages$/;
const MESSAGE = /^\/conversations\/(?:v3\/)?custom-channels\/[^/]+\/messages\/([^/]+)$/;

/**
 * Follows the HubSpot sandbox's ledger (`?since=N`, so each poll reads only what is new): when each
 * inbound message was first published (201, keyed by `integrationIdempotencyId`, the bridge's message key),
 * repeats (200, or 201 marked `repeatOf`: an idempotent re-publish), status PATCHes, and every call with its portal and
 * status.
 */
export class HubSpotLedger {
  readonly firstPublish = new Map<string, Publish>();
  /** Publishes answered 201 per key: more than one would be a duplicate in the inbox. */
  readonly created = new Map<string, number>();
  /** `SENT` written back per HubSpot message id (outbound). */
  readonly sentStatus = new Map<string, number>();
  /** `FAILED` written back per HubSpot message id (outbound): the reply did not reach the customer. */
  readonly failedStatus = new Map<string, number>();
  readonly calls: { at: number; status: number; portalId?: string; method: string; path: string }[] = [];
  republished = 0;
  private since = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(private readonly hubspotUrl: string) {}

  /** Skips what is already there: only calls from now on count. */
  async skipToEnd(): Promise<void> {
    const entries = await this.fetch();
    this.since = entries.at(-1)?.seq ?? this.since;
  }

  start(everyMs = 500): void {
    this.timer = setInterval(() => void this.poll(), everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.poll();
  }

  async poll(): Promise<void> {
    // One poll at a time; a caller that wants fresh data awaits the one under way, then another.
    while (this.polling) await this.polling;
    this.polling = this.fetch().then((entries) => entries.forEach((e) => this.take(e)));
    try {
      await this.polling;
    } finally {
      this.polling = undefined;
    }
  }

  private async fetch(): Promise<LedgerEntry[]> {
    const res = await fetch(`${this.hubspotUrl}/_sandbox/ledger?since=${this.since}`);
    if (!res.ok) throw new Error(`GET /_sandbox/ledger answered ${res.status}`);
    return ((await res.json()) as { entries: LedgerEntry[] }).entries;
  }

  private take(e: LedgerEntry): void {
    if (e.seq <= this.since) return;
    this.since = e.seq;
    const at = Date.parse(e.at);
    this.calls.push({
      at,
      status: e.status,
      method: e.method,
      path: e.path,
      ...(e.portalId ? { portalId: e.portalId } : {}),
    });
    if (e.method === 'POST' && PUBLISH.test(e.path)) {
      const key = (e.body as { integrationIdempotencyId?: string } | undefined)?.integrationIdempotencyId;
      if (!key) return;
      // The sandbox answers a repeated integrationIdempotencyId 201 too, as HubSpot documents, and marks it repeatOf.
      if (e.status === 201 && !e.repeatOf) {
        this.created.set(key, (this.created.get(key) ?? 0) + 1);
        if (!this.firstPublish.has(key))
          this.firstPublish.set(key, { key, at, seq: e.seq, ...(e.portalId ? { portalId: e.portalId } : {}) });
      } else if (e.status === 200 || e.repeatOf) this.republished += 1;
      return;
    }
    const message = e.method === 'PATCH' ? MESSAGE.exec(e.path) : null;
    const statusType = (e.body as { statusType?: string } | undefined)?.statusType;
    if (message && e.status < 300 && statusType === 'SENT' && !this.sentStatus.has(message[1]!))
      this.sentStatus.set(message[1]!, at);
    if (message && e.status < 300 && statusType === 'FAILED' && !this.failedStatus.has(message[1]!))
      this.failedStatus.set(message[1]!, at);
  }

  /** Waits until every key in `keys` is published or `timeoutMs` passes; returns how many are. */
  async waitForPublishes(keys: readonly string[], timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.poll();
      const done = keys.filter((k) => this.firstPublish.has(k)).length;
      if (done === keys.length || Date.now() >= deadline) return done;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
