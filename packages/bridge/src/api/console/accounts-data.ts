import type { Client } from '@temporalio/client';
import { summary } from '../../inspect/show.js';
import type { Account, PortalTokens, Store } from '../../store/types.js';
import { webhookHealth, type ProviderEndpoints, type WebhookHealth } from './webhook-health.js';
import { MESSAGE_WORKFLOWS_QUERY } from '../../domain/workflow-types.js';
import { directionClause } from '../../domain/message-visibility.js';

export interface MessageBrief {
  readonly workflowId: string;
  readonly startTime: string;
  readonly status?: string;
}

export interface AccountView {
  readonly account: Account;
  readonly webhook: WebhookHealth;
  /** The portal's OAuth tokens in the store (listPortals); undefined when none are stored (a configured token). */
  readonly portalToken?: Pick<PortalTokens, 'status' | 'statusReason' | 'expiresAt'>;
  readonly lastInbound?: MessageBrief;
  readonly lastOutbound?: MessageBrief;
  readonly held: readonly MessageBrief[];
  readonly problems: readonly string[];
}

const MESSAGES = MESSAGE_WORKFLOWS_QUERY;
const HELD_SHOWN = 20;

async function briefs(client: Client, query: string, limit: number): Promise<MessageBrief[]> {
  const found: MessageBrief[] = [];
  for await (const execution of client.workflow.list({ query, pageSize: limit })) {
    const s = summary(execution);
    found.push({ workflowId: s.workflowId, startTime: s.startTime, status: s.status });
    if (found.length >= limit) break;
  }
  return found;
}

/** Each connected account with what the store, Temporal and its provider say of it. Account ids come from the store. */
export async function readAccounts(deps: {
  store: Store;
  temporal: Client;
  endpoints: ProviderEndpoints;
}): Promise<AccountView[]> {
  const accounts = await deps.store.listAccounts();
  const portals = new Map((await deps.store.listPortals()).map((p) => [p.portalId, p]));
  return Promise.all(
    accounts.map(async (account) => {
      const problems: string[] = [];
      const read = async <T>(what: string, fn: () => Promise<T>, fallback: T): Promise<T> => {
        try {
          return await fn();
        } catch (error) {
          problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
          return fallback;
        }
      };
      const ofAccount = `${MESSAGES} AND BridgeAccountId = "${account.accountId.replace(/["\\]/g, '')}"`;
      const full = await read('credentials', () => deps.store.getAccount(account.accountId), undefined);
      const webhook = full
        ? await webhookHealth(full, deps.endpoints)
        : { state: 'unknown' as const, note: 'the stored credentials could not be read' };
      const [lastInbound] = await read(
        'last inbound',
        () => briefs(deps.temporal, `${ofAccount} AND ${directionClause('inbound')}`, 1),
        [],
      );
      const [lastOutbound] = await read(
        'last outbound',
        () => briefs(deps.temporal, `${ofAccount} AND ${directionClause('outbound')}`, 1),
        [],
      );
      const held = await read(
        'held messages',
        () =>
          briefs(deps.temporal, `${ofAccount} AND BridgeStatus = "HELD" AND ExecutionStatus = "Running"`, HELD_SHOWN),
        [],
      );
      const portal = portals.get(account.portalId);
      const portalToken = portal && {
        status: portal.status,
        statusReason: portal.statusReason,
        expiresAt: portal.expiresAt,
      };
      return { account, webhook, portalToken, lastInbound, lastOutbound, held, problems };
    }),
  );
}

/** Every secret the store holds for the accounts and portals: the pages are checked against them before they leave. */
export async function storedSecrets(store: Store): Promise<string[]> {
  const secrets: string[] = [];
  for (const account of await store.listAccounts()) {
    const full = await store.getAccount(account.accountId).catch(() => undefined);
    secrets.push(...Object.values(full?.credentials ?? {}));
  }
  for (const portal of await store.listPortals()) {
    const tokens = await store.getPortalTokens(portal.portalId).catch(() => undefined);
    if (tokens) secrets.push(tokens.accessToken, tokens.refreshToken);
  }
  return secrets;
}
