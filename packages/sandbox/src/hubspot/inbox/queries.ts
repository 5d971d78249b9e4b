import type { HubSpotSandboxState, SandboxDeliveryIdentifier, SandboxMessage, SandboxThread } from '../state.js';
import { inboxStateOf, userName } from './inbox-state.js';

const IDENTIFIER_LABELS: Record<string, string> = {
  HS_EMAIL_ADDRESS: 'Email',
  HS_PHONE_NUMBER: 'Phone',
  HS_SHORT_CODE: 'Short code',
  CHANNEL_SPECIFIC_OPAQUE_ID: 'Channel id',
};

/** "Phone", "Email"… for a delivery identifier type, as a person would name it. */
export const identifierLabel = (type: string) => IDENTIFIER_LABELS[type] ?? type;

export interface Contact {
  readonly name: string;
  readonly deliveryIdentifier?: SandboxDeliveryIdentifier;
}

export interface ThreadSummary {
  readonly thread: SandboxThread;
  readonly contact: Contact;
  readonly accountName: string;
  readonly owner?: string;
  readonly last?: SandboxMessage;
  readonly unread: number;
}

export interface ThreadFilter {
  readonly q?: string;
  readonly accountId?: string;
  /** An inbox or the help desk: a thread belongs to the one its account was in when the thread began. */
  readonly inboxId?: string;
  /** `OPEN` (the default view), `CLOSED` or `ALL`. */
  readonly status?: string;
}

export function messagesOf(state: HubSpotSandboxState, threadId: string): SandboxMessage[] {
  return [...state.messages.values()]
    .filter((m) => m.conversationsThreadId === threadId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || Number(a.id) - Number(b.id));
}

/** The customer: the sender of their messages, or the recipient of ours when the rep wrote first. */
export function contactOf(messages: readonly SandboxMessage[]): Contact {
  const incoming = messages.find((m) => m.direction === 'INCOMING')?.senders[0];
  const party = incoming ?? messages.find((m) => m.direction === 'OUTGOING')?.recipients[0];
  return {
    name: party?.name || party?.deliveryIdentifier.value || 'Unknown contact',
    deliveryIdentifier: party?.deliveryIdentifier,
  };
}

export function summarise(state: HubSpotSandboxState, thread: SandboxThread): ThreadSummary {
  const messages = messagesOf(state, thread.id);
  const seen = inboxStateOf(state).seen.get(thread.id);
  return {
    thread,
    contact: contactOf(messages),
    accountName: state.channelAccounts.get(thread.channelAccountId)?.name ?? `Account ${thread.channelAccountId}`,
    owner: userName(state, thread.assignedTo),
    last: messages.at(-1),
    unread: messages.filter((m) => m.direction === 'INCOMING' && !seen?.has(m.id)).length,
  };
}

function matches(state: HubSpotSandboxState, s: ThreadSummary, q: string): boolean {
  const needle = q.toLowerCase();
  const haystack = [
    s.contact.name,
    s.contact.deliveryIdentifier?.value ?? '',
    ...messagesOf(state, s.thread.id).map((m) => m.text),
  ];
  return haystack.some((text) => text.toLowerCase().includes(needle));
}

/** The thread list: newest activity first, narrowed by status, channel account and a search over contact and text. */
export function listThreads(state: HubSpotSandboxState, filter: ThreadFilter): ThreadSummary[] {
  const status = filter.status ?? 'OPEN';
  const q = filter.q?.trim();
  return [...state.threads.values()]
    .filter((t) => status === 'ALL' || t.status === status)
    .filter((t) => !filter.accountId || t.channelAccountId === filter.accountId)
    .filter(
      (t) =>
        !filter.inboxId || (t.inboxId ?? state.channelAccounts.get(t.channelAccountId)?.inboxId) === filter.inboxId,
    )
    .map((t) => summarise(state, t))
    .filter((s) => !q || matches(state, s, q))
    .sort((a, b) => (b.last?.createdAt ?? b.thread.createdAt).localeCompare(a.last?.createdAt ?? a.thread.createdAt));
}

/** Marks everything in the thread as seen, so it stops counting as unread. */
export function markSeen(state: HubSpotSandboxState, threadId: string): void {
  const seen = inboxStateOf(state).seen;
  const ids = seen.get(threadId) ?? new Set<string>();
  for (const m of messagesOf(state, threadId)) ids.add(m.id);
  seen.set(threadId, ids);
}

/** A contact's record, as the contact page shows it: who they are and every conversation they had. */
export interface ContactRecord {
  readonly id: string;
  readonly name: string;
  /** Every identifier the portal knows this contact by (one contact per customer identifier, threading.ts). */
  readonly identifiers: readonly SandboxDeliveryIdentifier[];
  /** Newest activity first. */
  readonly threads: readonly ThreadSummary[];
}

/** The record of contact `id` (the number in `V-{id}`), or undefined when the portal has no such contact. */
export function contactRecord(state: HubSpotSandboxState, id: string): ContactRecord | undefined {
  // Keys are `{portalId}:{type}:{value}`; the value may itself hold colons.
  const identifiers = [...state.contacts.entries()]
    .filter(([, contactId]) => contactId === id)
    .map(([key]) => {
      const [, type = '', ...value] = key.split(':');
      return { type, value: value.join(':') };
    });
  if (identifiers.length === 0) return undefined;
  const threads = [...state.threads.values()]
    .filter((t) => t.associatedContactId === id)
    .map((t) => summarise(state, t))
    .sort((a, b) => (b.last?.createdAt ?? b.thread.createdAt).localeCompare(a.last?.createdAt ?? a.thread.createdAt));
  const named = threads.map((s) => s.contact).find((c) => c.name !== 'Unknown contact');
  return { id, name: named?.name ?? identifiers[0]?.value ?? `Contact ${id}`, identifiers, threads };
}
