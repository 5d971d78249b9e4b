import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { createTelegramSandbox } from '../../packages/sandbox/src/telegram/app.js';
import {
  createTelegramSandboxState,
  disposeTelegramSandboxState,
  type TelegramSandboxStateOptions,
} from '../../packages/sandbox/src/telegram/state.js';
import { assertValid } from './spec-schemas.js';
import { specMethodName, telegramDef, telegramMethod, telegramResult } from './telegram-schemas.js';

function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** The Telegram emulator on a loopback port, with fast webhook retries for tests. */
export async function startTelegramSandbox(options: TelegramSandboxStateOptions = {}) {
  const state = createTelegramSandboxState({
    ...options,
    retry: { baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 5000, ...options.retry },
  });
  const { server, url } = await listen(createTelegramSandbox({ state }));
  const bot = [...state.bots.values()][0]!;
  return {
    state,
    url,
    bot,
    token: bot.token,
    control: (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') =>
      fetch(`${url}/_sandbox/telegram${path}`, {
        method,
        ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      }),
    api: (method: string, params?: unknown, token = bot.token) =>
      fetch(`${url}/bot${token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params ?? {}),
      }),
    async close() {
      disposeTelegramSandboxState(state);
      await close(server);
    },
  };
}
export type TelegramSandboxHandle = Awaited<ReturnType<typeof startTelegramSandbox>>;

/** A bot's webhook endpoint: records each push; `respond` picks the status (e.g. fail the first ones). */
export async function startWebhookReceiver(respond: (attempt: number) => number = () => 200) {
  const received: { headers: Record<string, string | string[] | undefined>; body: Record<string, unknown> }[] = [];
  let attempts = 0;
  const app = express();
  app.post('/hook', express.json(), (req, res) => {
    attempts += 1;
    const status = respond(attempts);
    if (status >= 200 && status < 300)
      received.push({ headers: req.headers, body: req.body as Record<string, unknown> });
    res.status(status).json({ ok: status < 300 });
  });
  const { server, url } = await listen(app);
  return { url: `${url}/hook`, received, attempts: () => attempts, close: () => close(server) };
}

/**
 * Every call the emulator logged: its parameters against `method:<name>`, its answer against ApiResponse
 * + the result type, all closed. It reads the spec, so a test calls it as a cross-check:
 * `it(…, { skip: specMissing(TELEGRAM_SPEC) }, …)` or `specCheck(t, TELEGRAM_SPEC, …)`. Fails when no call
 * names a Bot API method, so an empty log is not a pass.
 */
export function assertCallsMatchSpec(
  calls: readonly { method: string; params: Record<string, unknown>; status: number; response: unknown }[],
): void {
  let checked = 0;
  for (const [index, call] of calls.entries()) {
    const name = specMethodName(call.method);
    if (!name) continue;
    const label = `call #${index + 1} ${name}`;
    assertValid(telegramDef('ApiResponse'), call.response, `${label} response`);
    if (call.status === 200) {
      assertValid(telegramMethod(name, { closed: true }), call.params, `${label} request`);
      assertValid(telegramResult(name), (call.response as { result: unknown }).result, `${label} result`);
    }
    checked += 1;
  }
  if (checked === 0)
    throw new Error(`none of the ${calls.length} logged calls is a Bot API method: nothing was checked`);
}

/**
 * Every update pushed to a webhook, against the Update schema with additionalProperties closed; a cross-check as above.
 */
export function assertUpdatesMatchSpec(updates: readonly unknown[]): void {
  if (updates.length === 0) throw new Error('no update was pushed: nothing was checked');
  for (const [index, update] of updates.entries())
    assertValid(telegramDef('Update', { closed: true }), update, `update #${index + 1}`);
}

export async function waitUntil<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
