import { randomInt } from 'node:crypto';
import type { Request } from 'express';
import { addBot, randomId, type SandboxBot, type TelegramSandboxState } from './state.js';

/**
 * Bots made the way @BotFather makes them: a display name, a unique username ending in "bot", and a new token
 * `<bot id>:<secret>`. The emulator page (page-bots.ts) and `POST /_sandbox/telegram/bots` without a token use it.
 */

/** Thrown when a new bot's name or username is not one BotFather would accept. */
export class BotRequestError extends Error {}

/** BotFather's rule: 5-32 characters, Latin letters, digits and underscores, ending in "bot" (any case). */
const USERNAME = /^[A-Za-z][A-Za-z0-9_]{1,28}[Bb][Oo][Tt]$/;

const taken = (state: TelegramSandboxState, username: string) =>
  [...state.bots.values()].some((b) => b.user.username?.toLowerCase() === username.toLowerCase());

/** A free username from the display name: "Acme Support" → "acme_support_bot", then "acme_support_2_bot"… */
function usernameFrom(state: TelegramSandboxState, firstName: string): string {
  const stem =
    firstName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .replace(/^(\d)/, 'b$1')
      .slice(0, 24) || 'sandbox';
  for (let n = 1; ; n += 1) {
    const candidate = `${stem}${n === 1 ? '' : `_${n}`}_bot`;
    if (!taken(state, candidate)) return candidate;
  }
}

/** A bot id no other bot (or known customer) has; Telegram's newer bot ids are ten digits. */
function freeBotId(state: TelegramSandboxState): number {
  for (;;) {
    const id = 7_000_000_000 + randomInt(0, 999_999_999);
    if (!state.bots.has(id) && !state.customers.has(id)) return id;
  }
}

/** Creates a bot as BotFather's /newbot does; answers it with its token. */
export function createBot(state: TelegramSandboxState, input: { firstName?: string; username?: string }): SandboxBot {
  const firstName = input.firstName?.trim() || 'Sandbox Bot';
  if (firstName.length > 64) throw new BotRequestError('a bot name is at most 64 characters');
  const username = input.username?.trim().replace(/^@/, '') || usernameFrom(state, firstName);
  if (!USERNAME.test(username)) {
    throw new BotRequestError(
      `"${username}" is not a bot username: 5-32 Latin letters, digits or underscores, starting with a letter and ending in "bot"`,
    );
  }
  if (taken(state, username)) throw new BotRequestError(`the username @${username} is already taken`);
  // BotFather's secrets are 35 characters of base64url after the colon, starting with "AA".
  const token = `${freeBotId(state)}:AA${randomId(25).slice(0, 33)}`;
  return addBot(state, token, username, firstName);
}

/** What the bot list (and the BotFather page) shows of a bot; the token only to a caller on this machine. */
export function botSummary(b: SandboxBot, withToken: boolean) {
  return {
    id: b.id,
    username: b.user.username,
    first_name: b.user.first_name,
    ...(withToken ? { token: b.token } : {}),
    webhook: b.webhook?.url ?? '',
    pending: b.pending.length,
    ...(b.lastErrorMessage ? { last_error_message: b.lastErrorMessage } : {}),
  };
}

/**
 * Whether the request came from this machine: tokens are answered only then. The sandbox binds 127.0.0.1; this keeps
 * them off its pages if it is ever reached from another machine.
 */
export function fromLoopback(req: Request): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
