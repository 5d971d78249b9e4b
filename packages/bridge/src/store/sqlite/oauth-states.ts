import type Database from 'better-sqlite3';
import type { ConnectionStores } from '../connections-store.js';

/** Install-flow `state` nonces: each one answers `true` to exactly one unexpired consume. */
export function sqliteOAuthStates(
  db: Database.Database,
): Pick<ConnectionStores, 'rememberOAuthState' | 'consumeOAuthState'> {
  return {
    async rememberOAuthState(nonce, expiresAt) {
      const now = new Date().toISOString();
      // Old states are useless; drop them as new ones come so the table stays small.
      db.prepare('DELETE FROM oauth_states WHERE expires_at < ?').run(now);
      db.prepare('INSERT INTO oauth_states (nonce, expires_at) VALUES (?, ?)').run(nonce, expiresAt.toISOString());
    },
    async consumeOAuthState(nonce) {
      const now = new Date().toISOString();
      const result = db
        .prepare('UPDATE oauth_states SET used_at = ? WHERE nonce = ? AND used_at IS NULL AND expires_at > ?')
        .run(now, nonce, now);
      return result.changes === 1;
    },
  };
}
