import type { ConnectionStores } from '../connections-store.js';
import type { Db } from './db.js';

/** Install-flow `state` nonces: each one answers `true` to exactly one unexpired consume. */
export function postgresOAuthStates(db: Db): Pick<ConnectionStores, 'rememberOAuthState' | 'consumeOAuthState'> {
  return {
    async rememberOAuthState(nonce, expiresAt) {
      const now = new Date().toISOString();
      await db.query('DELETE FROM oauth_states WHERE expires_at < $1', [now]);
      await db.query('INSERT INTO oauth_states (nonce, expires_at) VALUES ($1, $2)', [nonce, expiresAt.toISOString()]);
    },
    async consumeOAuthState(nonce) {
      const now = new Date().toISOString();
      const result = await db.query(
        'UPDATE oauth_states SET used_at = $1 WHERE nonce = $2 AND used_at IS NULL AND expires_at > $1',
        [now, nonce],
      );
      return result.rowCount === 1;
    },
  };
}
