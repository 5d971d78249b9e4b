import { createTelegramSandbox } from './app.js';
import { createTelegramSandboxState, DEFAULT_BOT_TOKEN, disposeTelegramSandboxState } from './state.js';

// The Telegram emulator on its own: `tsx packages/sandbox/src/telegram/main.ts`. It reads its env here only.
const host = process.env.TELEGRAM_SANDBOX_HOST ?? '127.0.0.1';
const port = Number(process.env.TELEGRAM_SANDBOX_PORT ?? 4200);
const token = process.env.TELEGRAM_SANDBOX_BOT_TOKEN ?? DEFAULT_BOT_TOKEN;

const state = createTelegramSandboxState({
  bots: [{ token, username: 'channel_bridge_bot', firstName: 'Channel Bridge' }],
});
const server = createTelegramSandbox({ state }).listen(port, host, () => {
  const url = `http://${host}:${port}`;
  process.stdout.write(
    `${JSON.stringify({ msg: 'telegram emulator listening', apiBaseUrl: url, customerPage: `${url}/_sandbox/telegram/` })}\n`,
  );
});
const stop = () => {
  disposeTelegramSandboxState(state);
  server.close(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
