import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The local run's own encryption key, made once and kept in the data folder (mode 0600), so the
 * store stays readable across restarts. A real deployment sets BRIDGE_ENCRYPTION_KEY instead.
 */
export function localEncryptionKey(dataDir: string): string {
  const file = path.join(dataDir, 'local-secrets.json');
  if (fs.existsSync(file))
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { encryptionKey: string }).encryptionKey;
  const encryptionKey = randomBytes(32).toString('base64');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ encryptionKey }, null, 2), { mode: 0o600 });
  return encryptionKey;
}
