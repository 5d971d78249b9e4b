import { createHash } from 'node:crypto';
import type { HubSpotSandboxState } from '../state.js';
import { inboxStateOf } from './inbox-state.js';
import { previewOf } from './render-message.js';

export interface UnreadMessage {
  readonly messageId: string;
  readonly threadId: string;
  readonly from: string;
  readonly preview: string;
}

/**
 * A fingerprint of everything the page shows. The page polls it and refetches its fragments only
 * when it moves, so a playing voice note or a half-typed reply is left alone.
 */
export function inboxVersion(state: HubSpotSandboxState): string {
  const hash = createHash('sha1');
  for (const t of state.threads.values()) hash.update(JSON.stringify(t));
  for (const m of state.messages.values())
    hash.update(
      `${m.id}:${m.status.statusType}:${m.statusUpdates?.length ?? '-'}:${m.status.failureDetails?.errorMessage ?? ''}`,
    );
  for (const a of state.channelAccounts.values()) hash.update(JSON.stringify(a));
  for (const c of state.channels.values()) hash.update(c.id);
  const page = inboxStateOf(state);
  for (const [thread, seen] of page.seen) hash.update(`${thread}:${seen.size}`);
  hash.update(JSON.stringify([[...page.routing], [...page.contactOwners], [...page.threadProperties]]));
  return hash.digest('base64url');
}

/** Customer messages the rep has not had on screen, newest last: the page turns new ones into notifications. */
export function unreadMessages(state: HubSpotSandboxState): UnreadMessage[] {
  const seen = inboxStateOf(state).seen;
  return [...state.messages.values()]
    .filter((m) => m.direction === 'INCOMING' && !seen.get(m.conversationsThreadId)?.has(m.id))
    .map((m) => ({
      messageId: m.id,
      threadId: m.conversationsThreadId,
      from: m.senders[0]?.name ?? m.senders[0]?.deliveryIdentifier.value ?? 'A customer',
      preview: (previewOf(m) || (m.attachments.length ? 'sent an attachment' : '')).slice(0, 120),
    }));
}
