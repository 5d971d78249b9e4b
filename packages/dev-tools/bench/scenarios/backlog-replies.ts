import type { SentReply } from '../load/replies.js';
import type { HubSpotLedger } from '../observe/hubspot-ledger.js';

/** Scenario 5's outbound side: rep replies while the backlog drains, and the HubSpot calls they cost. */
export interface BacklogReplies {
  readonly replies: number;
  readonly withFiles: number;
  /** Replies whose `SENT` the bridge wrote back to HubSpot before the scenario's time was up. */
  readonly sentWritten: number;
  /** Replies the bridge marked FAILED in HubSpot (the provider refused them): a broken bench setup, never pacing. */
  readonly failedWritten: number;
  /** Status PATCHes (SENT, and the receipts' DELIVERED/READ) HubSpot accepted. */
  readonly statusWrites: number;
  /**
   * Signed-URL reads of reply files HubSpot accepted (a file is read when the reply is planned and when it is sent).
   */
  readonly downloads: number;
  /** 429s met by outbound calls (status writes and downloads); the inbound ones are the rest of the scenario's 429s. */
  readonly rateLimited: number;
}

type Call = HubSpotLedger['calls'][number];
const STATUS_WRITE = /^\/conversations\/(?:v3\/)?custom-channels\/[^/]+\/messages\/[^/]+$/;
const SIGNED_URL = /^\/files\/v3\/files\/[^/]+\/signed-url$/;

export const isOutboundCall = (c: Call) =>
  (c.method === 'PATCH' && STATUS_WRITE.test(c.path)) || (c.method === 'GET' && SIGNED_URL.test(c.path));

export function backlogReplies(
  sent: readonly SentReply[],
  ledger: HubSpotLedger,
  calls: readonly Call[],
): BacklogReplies {
  const outbound = calls.filter(isOutboundCall);
  return {
    replies: sent.length,
    withFiles: sent.filter((r) => r.withFile).length,
    sentWritten: sent.filter((r) => ledger.sentStatus.has(r.messageId)).length,
    failedWritten: sent.filter((r) => ledger.failedStatus.has(r.messageId)).length,
    statusWrites: outbound.filter((c) => c.method === 'PATCH' && c.status < 300).length,
    downloads: outbound.filter((c) => c.method === 'GET' && c.status < 300).length,
    rateLimited: outbound.filter((c) => c.status === 429).length,
  };
}
