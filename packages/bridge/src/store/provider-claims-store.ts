import type { AccountId, ProviderKind } from '../domain/ids.js';

/**
 * A provider account being connected: `identity` names what at the provider may serve one channel account only (a
 * bot, a number, a connector's callback URL; src/api/connect/identity.ts builds it).
 */
export interface ProviderClaim {
  readonly identity: string;
  readonly connectionId: string;
  readonly portalId: string;
  readonly provider: ProviderKind;
  /** The account name the connection will have, to name it to whoever is refused. */
  readonly name: string;
}

/** When a holder stops counting (ISO-8601 times): the claim can then be taken over. */
export interface ClaimCutoffs {
  /** A pending connection created before this was abandoned (HubSpot never created its account). */
  readonly pendingSince: string;
  /** A claim whose connection was never stored, made before this, is a connection attempt that died half-way. */
  readonly connectingSince: string;
}

/** Who holds an identity: names and ids only, never a credential. */
export interface ProviderClaimHolder {
  /**
   * `connected`: a channel account; `pending`: waiting for HubSpot to create it; `connecting`: a popup setting it up
   * now.
   */
  readonly state: 'connected' | 'pending' | 'connecting';
  readonly portalId: string;
  readonly name: string;
  readonly accountId?: AccountId;
  /** When the holder claimed it (connecting) or its connection was stored (pending). */
  readonly since: string;
}

export interface ProviderClaimStore {
  /**
   * Claims `claim.identity` for `claim.connectionId`, atomically on either backend: answers undefined when the claim
   * is now this connection's (new, already its own, or taken over from a dead holder: an abandoned pending connection
   * is then marked removed), or the live holder, untouched. Released by deletePendingConnection(connectionId), and by
   * deleteAccount for the account the connection became.
   */
  claimProviderIdentity(claim: ProviderClaim, cutoffs: ClaimCutoffs): Promise<ProviderClaimHolder | undefined>;
}

/** A claim row joined with its connection and account, as both backends read it. */
export interface ClaimRow {
  connection_id: string;
  portal_id: string;
  name: string;
  claimed_at: string;
  status: string | null;
  created_at: string | null;
  account_id: string | null;
  account_name: string | null;
  account_portal_id: string | null;
}

export const CLAIM_SELECT = `SELECT c.connection_id, c.portal_id, c.name, c.claimed_at, n.status, n.created_at, n.account_id,
    a.name AS account_name, a.portal_id AS account_portal_id
  FROM provider_claims c LEFT JOIN connections n ON n.connection_id = c.connection_id LEFT JOIN accounts a ON a.account_id = n.account_id`;

/** The live holder a claim row describes, or undefined when it no longer counts. Pure; shared by both backends. */
export function liveHolder(row: ClaimRow, cutoffs: ClaimCutoffs): ProviderClaimHolder | undefined {
  if (row.status === 'connected' && row.account_id && row.account_name !== null) {
    return {
      state: 'connected',
      portalId: row.account_portal_id ?? row.portal_id,
      name: row.account_name,
      accountId: row.account_id as AccountId,
      since: row.claimed_at,
    };
  }
  if (row.status === 'pending' && row.created_at && row.created_at >= cutoffs.pendingSince) {
    return { state: 'pending', portalId: row.portal_id, name: row.name, since: row.created_at };
  }
  if (row.status === null && row.claimed_at >= cutoffs.connectingSince) {
    return { state: 'connecting', portalId: row.portal_id, name: row.name, since: row.claimed_at };
  }
  return undefined;
}
