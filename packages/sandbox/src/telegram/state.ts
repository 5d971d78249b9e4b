import { randomBytes } from 'node:crypto';
import type { TgBusinessConnection, TgChat, TgMessage, TgUpdate, TgUser } from './wire.js';

/** The kinds of file Telegram stores, each with its own send method and message field. */
export type FileKind = 'photo' | 'voice' | 'audio' | 'video' | 'video_note' | 'sticker' | 'document';
export const FILE_KINDS: readonly FileKind[] = [
  'photo',
  'voice',
  'audio',
  'video',
  'video_note',
  'sticker',
  'document',
];

export interface StoredFile {
  readonly fileId: string;
  readonly fileUniqueId: string;
  readonly filePath: string;
  readonly kind: FileKind;
  readonly data: Buffer;
  readonly mimeType: string;
  readonly fileName?: string;
  readonly botId: number;
}

export interface WebhookConfig {
  url: string;
  secretToken?: string;
  maxConnections: number;
  allowedUpdates?: string[];
}

export interface SandboxBot {
  readonly id: number;
  readonly token: string;
  readonly user: TgUser;
  webhook?: WebhookConfig;
  /** Updates not yet acknowledged by the webhook (or not yet fetched with getUpdates), oldest first. */
  readonly pending: TgUpdate[];
  delivering: boolean;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

export interface Customer {
  readonly user: TgUser;
  /** Bot ids this customer has blocked. */
  readonly blocked: Set<number>;
}

/** A group or supergroup the bot is a member of, with its members and (in a forum) its topics. */
export interface SandboxGroup {
  readonly botId: number;
  readonly chat: TgChat;
  readonly members: Set<number>;
  /** `message_thread_id` → topic name. */
  readonly topics: Map<number, string>;
}

/** One message the bot sent, as the customer's phone received it. */
export interface SentRecord {
  readonly seq: number;
  readonly botId: number;
  readonly chatId: number;
  readonly method: string;
  readonly message: TgMessage;
}

/** One Bot API call, whatever its outcome: what tests compare against the spec. */
export interface CallRecord {
  readonly seq: number;
  readonly at: string;
  readonly botId: number | undefined;
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly status: number;
  readonly response: unknown;
}

export interface UpdateRecord {
  readonly botId: number;
  readonly update: TgUpdate;
  attempts: number;
  state: 'pending' | 'delivered' | 'given-up' | 'dropped';
  lastError?: string;
}

export type FaultType = 'rate_limit' | 'blocked' | 'server_error' | 'latency';

export interface Fault {
  readonly id: number;
  readonly type: FaultType;
  readonly botId?: number;
  /** Lower-case method name; all methods when absent. */
  readonly method?: string;
  readonly retryAfter: number;
  readonly status: number;
  readonly latencyMs: number;
  /** Applies to the next N matching calls, then disappears. */
  remaining?: number;
  /** Applies to this share (0-1) of matching calls, spread evenly so tests are deterministic. */
  readonly share?: number;
  seen: number;
}

export interface WebhookRetryPolicy {
  /** @default 5 */
  readonly maxAttempts: number;
  /** Delay after the first failure, doubled after each next one. @default 500 */
  readonly baseDelayMs: number;
  /** @default 30000 */
  readonly maxDelayMs: number;
  /** Per delivery attempt. @default 10000 */
  readonly timeoutMs: number;
}

export interface TelegramSandboxState {
  readonly bots: Map<number, SandboxBot>;
  readonly customers: Map<number, Customer>;
  /** Keyed by chat id (negative, as Telegram's group ids are). */
  readonly groups: Map<number, SandboxGroup>;
  /** Business accounts connected to a bot, keyed by connection id. */
  readonly businessConnections: Map<string, TgBusinessConnection & { botId: number }>;
  readonly files: Map<string, StoredFile>;
  /** Every message of each bot ↔ customer chat, keyed `${botId}:${chatId}`, in order. */
  readonly chats: Map<string, TgMessage[]>;
  readonly sent: SentRecord[];
  readonly calls: CallRecord[];
  readonly updates: UpdateRecord[];
  readonly faults: Fault[];
  readonly retry: WebhookRetryPolicy;
  readonly timers: Set<NodeJS.Timeout>;
  /** Wakes long-polling getUpdates calls. */
  readonly listeners: Set<() => void>;
  nextUpdateId: number;
  disposed: boolean;
  nextFaultId: number;
  nextFileNumber: number;
}

export interface TelegramSandboxStateOptions {
  /** @default [{ token: '1000001:SANDBOX-token', username: 'channel_bridge_bot' }] */
  readonly bots?: readonly { readonly token: string; readonly username?: string; readonly firstName?: string }[];
  readonly retry?: Partial<WebhookRetryPolicy>;
}

export const DEFAULT_BOT_TOKEN = '1000001:SANDBOX-token';
export const TOKEN_PATTERN = /^(\d{1,20}):[A-Za-z0-9_-]{1,100}$/;

export function addBot(
  state: TelegramSandboxState,
  token: string,
  username = 'sandbox_bot',
  firstName = 'Sandbox Bot',
): SandboxBot {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) throw new Error(`"${token}" is not a bot token (<bot_id>:<secret>)`);
  const id = Number(match[1]);
  const bot: SandboxBot = {
    id,
    token,
    user: { id, is_bot: true, first_name: firstName, username },
    pending: [],
    delivering: false,
  };
  state.bots.set(id, bot);
  return bot;
}

export function botByToken(state: TelegramSandboxState, token: string): SandboxBot | undefined {
  const id = Number(TOKEN_PATTERN.exec(token)?.[1]);
  const bot = state.bots.get(id);
  return bot?.token === token ? bot : undefined;
}

/** A Business chat is a chat of the business account, apart from the customer's chat with the bot. */
export function chatKey(botId: number, chatId: number, businessConnectionId?: string): string {
  return businessConnectionId ? `${botId}:${chatId}@${businessConnectionId}` : `${botId}:${chatId}`;
}

export function chatMessages(
  state: TelegramSandboxState,
  botId: number,
  chatId: number,
  businessConnectionId?: string,
): TgMessage[] {
  const key = chatKey(botId, chatId, businessConnectionId);
  let messages = state.chats.get(key);
  if (!messages) state.chats.set(key, (messages = []));
  return messages;
}

/** Telegram numbers messages per chat, shared by both sides of it. */
export function nextMessageId(
  state: TelegramSandboxState,
  botId: number,
  chatId: number,
  businessConnectionId?: string,
): number {
  return (chatMessages(state, botId, chatId, businessConnectionId).at(-1)?.message_id ?? 0) + 1;
}

export function randomId(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function createTelegramSandboxState(options: TelegramSandboxStateOptions = {}): TelegramSandboxState {
  const state: TelegramSandboxState = {
    bots: new Map(),
    customers: new Map(),
    groups: new Map(),
    businessConnections: new Map(),
    files: new Map(),
    chats: new Map(),
    sent: [],
    calls: [],
    updates: [],
    faults: [],
    retry: { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, timeoutMs: 10_000, ...options.retry },
    timers: new Set(),
    listeners: new Set(),
    nextUpdateId: 100_000_001,
    disposed: false,
    nextFaultId: 1,
    nextFileNumber: 1,
  };
  for (const bot of options.bots ?? [
    { token: DEFAULT_BOT_TOKEN, username: 'channel_bridge_bot', firstName: 'Channel Bridge' },
  ]) {
    addBot(state, bot.token, bot.username, bot.firstName);
  }
  return state;
}

/** Stops webhook retries and wakes long polls, so a test process can exit. */
export function disposeTelegramSandboxState(state: TelegramSandboxState): void {
  state.disposed = true;
  for (const timer of state.timers) clearTimeout(timer);
  state.timers.clear();
  for (const wake of state.listeners) wake();
}

// ── Saved between runs (packages/sandbox/src/persistence.ts) ──

/**
 * What a restart keeps: the bots (token, webhook, undelivered updates), the customers, their chats and files, what
 * the bots sent, the update records and the counters. Not kept: the call log (a record for tests of what this
 * process answered, growing with every call), injected faults, the retry policy (from the environment), timers,
 * long-poll listeners and the `delivering` flag.
 */
export interface SavedTelegramState {
  readonly bots: ReadonlyMap<number, Omit<SandboxBot, 'delivering'>>;
  readonly customers: TelegramSandboxState['customers'];
  /** Optional: saves from before groups and Business connections existed have none. */
  readonly groups?: TelegramSandboxState['groups'];
  readonly businessConnections?: TelegramSandboxState['businessConnections'];
  readonly files: TelegramSandboxState['files'];
  readonly chats: TelegramSandboxState['chats'];
  readonly sent: TelegramSandboxState['sent'];
  readonly updates: TelegramSandboxState['updates'];
  readonly nextUpdateId: number;
  readonly nextFileNumber: number;
}

/**
 * The live records themselves, in one object: serialized together, a pending update stays the same object as its
 * record's.
 */
export function savedTelegramState(state: TelegramSandboxState): SavedTelegramState {
  const { customers, groups, businessConnections, files, chats, sent, updates, nextUpdateId, nextFileNumber } = state;
  return {
    bots: state.bots,
    customers,
    groups,
    businessConnections,
    files,
    chats,
    sent,
    updates,
    nextUpdateId,
    nextFileNumber,
  };
}

/**
 * Puts a saved world into a freshly created state. A saved bot replaces a configured one with the same id and token
 * (keeping its webhook and queue); a configured bot with a new token replaces the saved one.
 */
export function restoreTelegramState(state: TelegramSandboxState, saved: SavedTelegramState): void {
  for (const [id, bot] of saved.bots) {
    const configured = state.bots.get(id);
    if (!configured || configured.token === bot.token) state.bots.set(id, { ...bot, delivering: false });
  }
  for (const key of ['customers', 'groups', 'businessConnections', 'files', 'chats'] as const) {
    const target = state[key] as Map<unknown, unknown>;
    target.clear();
    for (const [k, v] of saved[key] ?? []) target.set(k, v);
  }
  state.sent.length = 0;
  for (const record of saved.sent) state.sent.push(record);
  state.updates.length = 0;
  for (const record of saved.updates) state.updates.push(record);
  state.nextUpdateId = saved.nextUpdateId;
  state.nextFileNumber = saved.nextFileNumber;
}
