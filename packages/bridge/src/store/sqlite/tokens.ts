import type Database from 'better-sqlite3';
import type { SecretBox } from '../crypto.js';
import type { ConnectionStores, PortalTokens } from '../connections-store.js';
import { tokensFromRow, type TokenRow } from '../rows.js';

type TokenParts = Pick<
  ConnectionStores,
  'savePortalTokens' | 'getPortalTokens' | 'listPortals' | 'markPortalReinstall'
>;

/** Each installed portal's OAuth tokens, both sealed. */
export function sqliteTokens(db: Database.Database, box: SecretBox): TokenParts {
  const upsert = db.prepare(`
    INSERT INTO portal_tokens (portal_id, access_token_sealed, refresh_token_sealed, expires_at, scopes, status, status_reason, updated_at)
    VALUES (@portal_id, @access, @refresh, @expires_at, @scopes, @status, @status_reason, @updated_at)
    ON CONFLICT (portal_id) DO UPDATE SET access_token_sealed = excluded.access_token_sealed,
      refresh_token_sealed = excluded.refresh_token_sealed, expires_at = excluded.expires_at, scopes = excluded.scopes,
      status = excluded.status, status_reason = excluded.status_reason, updated_at = excluded.updated_at`);
  const select = db.prepare<[string], TokenRow>('SELECT * FROM portal_tokens WHERE portal_id = ?');
  return {
    async savePortalTokens(tokens: PortalTokens) {
      upsert.run({
        portal_id: tokens.portalId,
        access: box.seal(tokens.accessToken),
        refresh: box.seal(tokens.refreshToken),
        expires_at: tokens.expiresAt,
        scopes: tokens.scopes.join(' '),
        status: tokens.status,
        status_reason: tokens.statusReason ?? null,
        updated_at: new Date().toISOString(),
      });
    },
    async getPortalTokens(portalId) {
      const row = select.get(portalId);
      return row && tokensFromRow(row, box);
    },
    async listPortals() {
      const rows = db.prepare<[], TokenRow>('SELECT * FROM portal_tokens ORDER BY portal_id').all();
      return rows.map((r) => ({
        portalId: r.portal_id,
        expiresAt: r.expires_at,
        status: r.status === 'reinstall' ? ('reinstall' as const) : ('active' as const),
        ...(r.status_reason ? { statusReason: r.status_reason } : {}),
      }));
    },
    async markPortalReinstall(portalId, reason) {
      db.prepare(
        "UPDATE portal_tokens SET status = 'reinstall', status_reason = ?, updated_at = ? WHERE portal_id = ?",
      ).run(reason, new Date().toISOString(), portalId);
    },
  };
}
