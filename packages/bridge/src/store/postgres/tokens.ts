import type { SecretBox } from '../crypto.js';
import type { ConnectionStores } from '../connections-store.js';
import { one, type Db } from './db.js';
import { tokensFromRow, type TokenRow } from '../rows.js';

type TokenParts = Pick<
  ConnectionStores,
  'savePortalTokens' | 'getPortalTokens' | 'listPortals' | 'markPortalReinstall'
>;
const status = (s: string) => (s === 'reinstall' ? ('reinstall' as const) : ('active' as const));

export function postgresTokens(db: Db, box: SecretBox): TokenParts {
  return {
    async savePortalTokens(t) {
      await db.query(
        `INSERT INTO portal_tokens (portal_id, access_token_sealed, refresh_token_sealed, expires_at, scopes, status, status_reason, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (portal_id) DO UPDATE SET access_token_sealed = excluded.access_token_sealed, refresh_token_sealed = excluded.refresh_token_sealed,
           expires_at = excluded.expires_at, scopes = excluded.scopes, status = excluded.status, status_reason = excluded.status_reason, updated_at = excluded.updated_at`,
        [
          t.portalId,
          box.seal(t.accessToken),
          box.seal(t.refreshToken),
          t.expiresAt,
          t.scopes.join(' '),
          t.status,
          t.statusReason ?? null,
          new Date().toISOString(),
        ],
      );
    },
    async getPortalTokens(portalId) {
      const row = await one<TokenRow>(db, 'SELECT * FROM portal_tokens WHERE portal_id = $1', [portalId]);
      return row && tokensFromRow(row, box);
    },
    async listPortals() {
      const { rows } = await db.query<TokenRow>('SELECT * FROM portal_tokens ORDER BY portal_id');
      return rows.map((r) => ({
        portalId: r.portal_id,
        expiresAt: r.expires_at,
        status: status(r.status),
        ...(r.status_reason ? { statusReason: r.status_reason } : {}),
      }));
    },
    async markPortalReinstall(portalId, reason) {
      await db.query(
        "UPDATE portal_tokens SET status = 'reinstall', status_reason = $1, updated_at = $2 WHERE portal_id = $3",
        [reason, new Date().toISOString(), portalId],
      );
    },
  };
}
