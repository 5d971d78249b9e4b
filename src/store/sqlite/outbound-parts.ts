import type Database from 'better-sqlite3';

/** What an earlier attempt at one reply part left behind. */
export interface PartSendRecord {
  /** The provider's ids when an earlier attempt was answered with success: the part went, do not send it again. */
  readonly sentIds?: readonly string[];
  /** Earlier attempts that sent a request and were never answered (the worker stopped, or the request timed out). */
  readonly unanswered: number;
}

/** The send ledger of reply parts: at most one accepted send per part, whatever Temporal remembers. */
export interface OutboundPartStore {
  /** Marks the part as being sent and tells what earlier attempts did. Call just before the request goes out. */
  beginPartSend(hubspotMessageId: string, partIndex: number): Promise<PartSendRecord>;
  /** The provider accepted the part; a later attempt returns these ids instead of sending. */
  recordPartSent(hubspotMessageId: string, partIndex: number, providerMessageIds: readonly string[]): Promise<void>;
  /** The provider answered with a refusal: nothing went, so the next attempt is a clean one. */
  recordPartRefused(hubspotMessageId: string, partIndex: number): Promise<void>;
}

interface PartRow {
  readonly state: string;
  readonly provider_message_ids: string | null;
  readonly attempts: number;
}

/** The row as the attempt that is about to send sees it. */
export function partRecord(row: PartRow | undefined): PartSendRecord {
  if (row?.state === 'sent') return { sentIds: JSON.parse(row.provider_message_ids ?? '[]') as string[], unanswered: 0 };
  return { unanswered: row?.attempts ?? 0 };
}

export function sqliteOutboundParts(db: Database.Database): OutboundPartStore {
  const read = db.prepare<[string, number], PartRow>('SELECT state, provider_message_ids, attempts FROM outbound_parts WHERE hubspot_message_id = ? AND part_index = ?');
  const sending = db.prepare(`
    INSERT INTO outbound_parts (hubspot_message_id, part_index, state, attempts, updated_at) VALUES (?, ?, 'sending', 1, ?)
    ON CONFLICT (hubspot_message_id, part_index) DO UPDATE SET attempts = outbound_parts.attempts + 1, updated_at = excluded.updated_at`);
  const sent = db.prepare(`
    INSERT INTO outbound_parts (hubspot_message_id, part_index, state, provider_message_ids, attempts, updated_at) VALUES (?, ?, 'sent', ?, 1, ?)
    ON CONFLICT (hubspot_message_id, part_index) DO UPDATE SET state = 'sent', provider_message_ids = excluded.provider_message_ids, updated_at = excluded.updated_at`);
  const refused = db.prepare("DELETE FROM outbound_parts WHERE hubspot_message_id = ? AND part_index = ? AND state = 'sending'");
  const begin = db.transaction((id: string, index: number) => {
    const record = partRecord(read.get(id, index));
    if (!record.sentIds) sending.run(id, index, new Date().toISOString());
    return record;
  });
  return {
    async beginPartSend(id, index) {
      return begin.immediate(id, index);
    },
    async recordPartSent(id, index, ids) {
      sent.run(id, index, JSON.stringify(ids), new Date().toISOString());
    },
    async recordPartRefused(id, index) {
      refused.run(id, index);
    },
  };
}
