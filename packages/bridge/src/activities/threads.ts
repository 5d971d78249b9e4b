import { ApplicationFailure } from '@temporalio/activity';
import { ErrorType } from '../domain/errors.js';
import type { AccountId, ConversationKey } from '../domain/ids.js';
import type { HubSpotClient } from '../hubspot/client.js';
import { HubSpotApiError } from '../hubspot/errors.js';
import type { ConversationThread } from '../store/inbound-types.js';
import type { Store } from '../store/types.js';
import { toActivityFailure } from './hubspot-errors.js';
import type { ThreadPolicy } from './inbound-settings.js';

export interface ResolveThreadInput {
  readonly accountId: AccountId;
  readonly conversationKey: ConversationKey;
  /** ISO-8601 send time of the message being published, for the idle rule. */
  readonly sentAt: string;
}

/** What the publish step sends; no `integrationThreadId` on a DELIVERY_IDENTIFIER channel. */
export interface ResolvedThread {
  readonly integrationThreadId?: string;
  /** Why a new thread was started, for the workflow's log. */
  readonly newThreadReason?: string;
}

export interface ThreadActivityDeps {
  readonly store: Store;
  readonly hubspot: HubSpotClient;
  readonly threads: ThreadPolicy;
  /** The clock `threads.statusFreshMs` is measured with, in ms since the epoch. @default Date.now */
  readonly now?: () => number;
}

/** The first thread keeps the conversation key itself, so existing threads stay where they are. */
function integrationThreadIdFor(conversationKey: string, generation: number): string {
  return generation === 0 ? conversationKey : `${conversationKey}#${generation}`;
}

/**
 * Why a thread seen open may be trusted without a read. A message HubSpot just took into thread T (the publish answer's
 * `conversationsThreadId`, noted by `recordInboundMapping` through `store.notePublished`) leaves T open: HubSpot's
 * documentation does not say what an INCOMING message does to a CLOSED thread, so this is an inference. Either HubSpot
 * reopens the closed thread, or it starts a new OPEN thread and answers with its id (what the sandbox does by default,
 * `closedThreadPolicy`, also inferred: docs/SANDBOX.md); in both cases the answer names an open thread. What no answer
 * shows is a rep closing T afterwards, hence a bounded window (`statusFreshMs`) after which T is read again.
 */
export function createThreadActivities(deps: ThreadActivityDeps) {
  const now = deps.now ?? Date.now;

  /** Seen open within the window. A stamp slightly ahead (another process's clock) counts; one far ahead does not. */
  function trustedOpen(current: ConversationThread): boolean {
    const fresh = deps.threads.statusFreshMs;
    if (fresh <= 0 || !current.threadOpenSeenAt) return false;
    return Math.abs(now() - Date.parse(current.threadOpenSeenAt)) < fresh;
  }

  /** Whether the conversation's HubSpot thread is closed: trusted open within the window, else read. */
  async function threadClosed(current: ConversationThread, portalId: string, threadId: string): Promise<boolean> {
    if (trustedOpen(current)) return false;
    const seenAt = new Date(now()).toISOString();
    if (await isClosed(portalId, threadId)) return true;
    await deps.store.noteThreadOpen(current.conversationKey, threadId, seenAt);
    return false;
  }

  async function isClosed(portalId: string, threadId: string): Promise<boolean> {
    try {
      // Thread resolution is a local activity: the limiter hands a wait longer than 2 s back to Temporal
      // (src/activities/rate-limit.ts).
      const thread = await deps.hubspot.getThread(portalId, threadId);
      return thread.status === 'CLOSED' || thread.archived === true;
    } catch (error) {
      // A thread HubSpot no longer knows cannot take the message either.
      if (error instanceof HubSpotApiError && error.status === 404) return true;
      throw toActivityFailure(error);
    }
  }

  async function whyNewThread(
    current: ConversationThread,
    portalId: string,
    sentAt: string,
  ): Promise<string | undefined> {
    const idle = deps.threads.newThreadAfterIdleMs;
    if (idle !== undefined && current.lastMessageAt && Date.parse(sentAt) - Date.parse(current.lastMessageAt) > idle) {
      return `idle for more than ${Math.round(idle / 1000)} s`;
    }
    if (
      deps.threads.newThreadWhenClosed &&
      current.hubspotThreadId &&
      (await threadClosed(current, portalId, current.hubspotThreadId))
    ) {
      return `HubSpot thread ${current.hubspotThreadId} was closed`;
    }
    return undefined;
  }

  return {
    /**
     * The conversation's current `integrationThreadId`, or a new one where the channel's policy says
     * (the HubSpot thread was closed, or the conversation was idle). Runs inside the conversation's
     * turn, so two messages never race to start a thread. Idempotent: a retry finds the row it saved.
     * Reads the HubSpot thread only when it was not seen open within `threads.statusFreshMs`.
     */
    async resolveInboundThread(input: ResolveThreadInput): Promise<ResolvedThread> {
      const account = await deps.store.getAccount(input.accountId);
      if (!account)
        throw ApplicationFailure.nonRetryable(`account ${input.accountId} is not connected`, ErrorType.AccountNotFound);
      const model = deps.threads.modelByChannel?.[account.channelId] ?? deps.threads.model;
      const current = await deps.store.getConversation(input.conversationKey);
      if (!current) {
        const first = {
          conversationKey: input.conversationKey,
          accountId: input.accountId,
          integrationThreadId: integrationThreadIdFor(input.conversationKey, 0),
          generation: 0,
        };
        await deps.store.saveConversation(first);
        return model === 'DELIVERY_IDENTIFIER' ? {} : { integrationThreadId: first.integrationThreadId };
      }
      // HubSpot threads DELIVERY_IDENTIFIER channels itself, closed threads included.
      if (model === 'DELIVERY_IDENTIFIER') return {};
      const reason = await whyNewThread(current, account.portalId, input.sentAt);
      if (!reason) return { integrationThreadId: current.integrationThreadId };
      const generation = current.generation + 1;
      const next = {
        conversationKey: input.conversationKey,
        accountId: input.accountId,
        integrationThreadId: integrationThreadIdFor(input.conversationKey, generation),
        generation,
      };
      await deps.store.saveConversation(next);
      return { integrationThreadId: next.integrationThreadId, newThreadReason: reason };
    },
  };
}
