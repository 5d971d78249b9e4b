import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import Database from 'better-sqlite3';
import { asAccountId, type ConversationKey, type ProviderMessageId } from '../../../bridge/src/domain/ids.js';
import { openSqliteStore } from '../../../bridge/src/store/sqlite.js';
import type { PlannedRequest } from '../load/open-loop.js';
import { summarise, type LatencySummary } from '../stats.js';

const now = () => performance.now();

async function samples(n: number, once: (i: number) => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = now();
    await once(i);
    ms.push(now() - started);
  }
  return ms;
}

const timed = async (n: number, once: (i: number) => Promise<unknown>): Promise<LatencySummary> =>
  summarise(await samples(n, once))!;
const meanMs = (ms: number[]) => ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length);

/** One webhook at a time on an idle system: the fixed cost of a request, with no queueing. */
export async function sequentialAck(
  origin: string,
  n: number,
  make: (i: number) => PlannedRequest,
): Promise<LatencySummary> {
  return timed(n, async (i) => {
    const planned = make(i);
    const res = await fetch(`${origin}${planned.path}`, {
      method: 'POST',
      headers: planned.headers,
      body: planned.body,
    });
    await res.text();
    if (!res.ok) throw new Error(`the profile request answered ${res.status}`);
  });
}

/** The two Temporal calls the bridge's api makes per message, one at a time: a start, and a signal-with-start. */
export async function temporalCalls(
  address: string,
  taskQueue: string,
  n: number,
): Promise<{ start: LatencySummary; signalWithStart: LatencySummary }> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const tag = `profile-${Date.now().toString(36)}`;
    const start = await timed(n, (i) =>
      client.workflow.start('bareWorkflow', { workflowId: `${tag}-start-${i}`, taskQueue, args: [] }),
    );
    const signalWithStart = await timed(n, (i) =>
      client.workflow.signalWithStart('bareWorkflow', {
        workflowId: `${tag}-sws-${i}`,
        taskQueue,
        args: [],
        signal: 'bench',
        signalArgs: [],
      }),
    );
    return { start, signalWithStart };
  } finally {
    await connection.close();
  }
}

export interface StoreProfile {
  /** SQLite's `synchronous` as a connection opened like the store's reports it. */
  readonly synchronous: number;
  /** One-row write transactions, mean µs: as the store opens its connection, and with `synchronous = FULL` set. */
  readonly commitMicroseconds: { readonly asStore: number; readonly full: number };
  /** Mean µs per call, one at a time, on a fresh store file in the bench's data folder. */
  readonly microseconds: Record<string, number>;
}

/** The store calls on an inbound message's path, each timed alone on the same disk the bridge uses. */
export async function storeCalls(dir: string, n: number): Promise<StoreProfile> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `profile-${Date.now()}.sqlite`);
  const store = openSqliteStore({ path: file, encryptionKey: randomBytes(32) });
  try {
    const accountId = asAccountId('profile-account');
    await store.upsertAccount({
      accountId,
      portalId: '1',
      channelId: '1',
      provider: 'generic',
      name: 'profile',
      authorized: true,
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'profile' },
      credentials: { signingSecret: 'whsec_x', callbackUrl: 'http://127.0.0.1/' },
    });
    const conversationKey = 'profile-account:c' as ConversationKey;
    await store.saveConversation({ conversationKey, accountId, integrationThreadId: conversationKey, generation: 0 });
    const mean = (ms: number[]) => Math.round(meanMs(ms) * 1000);
    const microseconds: Record<string, number> = {
      getAccount: mean(await samples(n, () => store.getAccount(accountId))),
      getConversation: mean(await samples(n, () => store.getConversation(conversationKey))),
      'takeCallSlot+stampCallSlot': mean(
        await samples(n, async () => {
          const at = Date.now();
          await store.takeCallSlot('hubspot:1', 1_000_000_000, 10_500, at);
          await store.stampCallSlot?.('hubspot:1', at, Date.now());
        }),
      ),
      recordMessage: mean(
        await samples(n, (i) =>
          store.recordMessage({
            messageKey: `profile-${i}`,
            direction: 'inbound',
            accountId,
            conversationKey,
            providerMessageId: `p-${i}` as ProviderMessageId,
            hubspotMessageId: `h-${i}`,
            hubspotThreadId: 't',
          }),
        ),
      ),
      notePublished: mean(await samples(n, () => store.notePublished(conversationKey, 't', new Date().toISOString()))),
      dropStagedMedia: mean(await samples(n, (i) => store.dropStagedMedia(`profile-${i}`))),
      ...(await turnCalls(store as unknown as Partial<TurnStore>, n, mean)),
    };
    return { ...(await commitCost(dir, n)), microseconds };
  } finally {
    await store.close();
    fs.rmSync(file, { force: true });
    fs.rmSync(`${file}-wal`, { force: true });
    fs.rmSync(`${file}-shm`, { force: true });
  }
}

/**
 * The conversation turns in the store (a profile found a per-conversation entity workflow costly; the store took over).
 */
interface TurnStore {
  queueInboundTurn(turn: { conversationKey: string; messageKey: string; sentAt: string }, nowMs: number): Promise<void>;
  claimInboundTurn(
    turn: { conversationKey: string; messageKey: string; sentAt: string },
    nowMs: number,
  ): Promise<boolean>;
  finishInboundTurn(conversationKey: string, messageKey: string): Promise<string | undefined>;
}

async function turnCalls(
  store: Partial<TurnStore>,
  n: number,
  mean: (ms: number[]) => number,
): Promise<Record<string, number>> {
  const { queueInboundTurn, claimInboundTurn, finishInboundTurn } = store;
  if (!queueInboundTurn || !claimInboundTurn || !finishInboundTurn) return {};
  const turn = (i: number) => ({
    conversationKey: `turns-${i}`,
    messageKey: `m-${i}`,
    sentAt: new Date().toISOString(),
  });
  return {
    queueInboundTurn: mean(await samples(n, (i) => queueInboundTurn.call(store, turn(i), Date.now()))),
    claimInboundTurn: mean(await samples(n, (i) => claimInboundTurn.call(store, turn(i), Date.now()))),
    finishInboundTurn: mean(await samples(n, (i) => finishInboundTurn.call(store, `turns-${i}`, `m-${i}`))),
  };
}

/**
 * What a commit costs on this disk: a one-row transaction on a connection opened as the store opens it (WAL, SQLite's
 * defaults, which here do not sync the WAL on every commit) and with `synchronous = FULL` set explicitly.
 */
async function commitCost(
  dir: string,
  n: number,
): Promise<{ synchronous: number; commitMicroseconds: { asStore: number; full: number } }> {
  const file = path.join(dir, `commit-${Date.now()}.sqlite`);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    const synchronous = Number(db.pragma('synchronous', { simple: true }));
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
    const insert = db.prepare('INSERT OR REPLACE INTO t (k, v) VALUES (?, ?)');
    const cost = async (tag: string) =>
      Math.round(meanMs(await samples(n, async (i) => insert.run(`${tag}-${i}`, i))) * 1000);
    const asStore = await cost('store');
    db.pragma('synchronous = FULL');
    return { synchronous, commitMicroseconds: { asStore, full: await cost('full') } };
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  }
}
