import fs from 'node:fs';
import path from 'node:path';

/** The contract corpus: Telegram Updates shaped like real ones (test/contract/telegram/sources.md says after which). */
export const TELEGRAM_CONTRACT_DIR = path.resolve(import.meta.dirname, '../contract/telegram');

export function telegramContractNames(): string[] {
  return fs
    .readdirSync(TELEGRAM_CONTRACT_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function telegramContractUpdate(name: string): Record<string, unknown> & { update_id: number } {
  return JSON.parse(fs.readFileSync(path.join(TELEGRAM_CONTRACT_DIR, `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  > & { update_id: number };
}

/** Every object with a `file_id` in an update: what the emulator must hold for getFile to answer. */
export function fileObjectsOf(
  value: unknown,
  found: { file_id: string; file_unique_id: string }[] = [],
): { file_id: string; file_unique_id: string }[] {
  if (Array.isArray(value)) for (const item of value) fileObjectsOf(item, found);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.file_id === 'string') found.push(record as { file_id: string; file_unique_id: string });
    for (const child of Object.values(record)) fileObjectsOf(child, found);
  }
  return found;
}
