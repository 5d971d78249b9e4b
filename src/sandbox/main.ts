import type { Server } from 'node:http';
import { createHubSpotSandbox } from './hubspot/app.js';
import { sandboxOptionsFromEnv } from './hubspot/options.js';
import { createHubSpotSandboxState } from './hubspot/state.js';
import { createTelegramSandbox } from './telegram/app.js';
import { DEFAULT_BOT_TOKEN } from './telegram/state.js';
import { webhookRetryFromEnv } from './webhook-replay.js';
import { createWhatsAppSandbox } from './whatsapp/app.js';

// The sandbox's own entrypoint: every stand-in on its own loopback port. It reads its env here only.
const host = '127.0.0.1';
const servers: Server[] = [];

function serve(name: string, app: { listen: (port: number, host: string, cb: () => void) => Server }, port: number) {
  servers.push(
    app.listen(port, host, () => process.stdout.write(`${JSON.stringify({ msg: 'sandbox listening', sandbox: name, url: `http://${host}:${port}` })}\n`)),
  );
}

serve('hubspot', createHubSpotSandbox(createHubSpotSandboxState(sandboxOptionsFromEnv(process.env))), Number(process.env.SANDBOX_HUBSPOT_PORT ?? 4100));

serve(
  'telegram',
  createTelegramSandbox({
    bots: [{ token: process.env.SANDBOX_TELEGRAM_BOT_TOKEN ?? DEFAULT_BOT_TOKEN, username: 'channel_bridge_bot', firstName: 'channel-bridge demo' }],
    // SANDBOX_TELEGRAM_WEBHOOK_MAX_ATTEMPTS, _BASE_DELAY_MS, _MAX_DELAY_MS
    retry: webhookRetryFromEnv(process.env, 'SANDBOX_TELEGRAM_WEBHOOK'),
  }),
  Number(process.env.SANDBOX_TELEGRAM_PORT ?? 4101),
);

// The WhatsApp Cloud stand-in only starts when given the credentials the bridge will use (npm start does).
const whatsapp = {
  accessToken: process.env.SANDBOX_WHATSAPP_ACCESS_TOKEN,
  appSecret: process.env.SANDBOX_WHATSAPP_APP_SECRET,
  verifyToken: process.env.SANDBOX_WHATSAPP_VERIFY_TOKEN,
};
if (whatsapp.accessToken && whatsapp.appSecret && whatsapp.verifyToken) {
  const { accessToken, appSecret, verifyToken } = whatsapp;
  // SANDBOX_WHATSAPP_WEBHOOK_MAX_ATTEMPTS, _BASE_DELAY_MS, _MAX_DELAY_MS (defaults: 5 attempts from 250 ms, doubling)
  const retry = webhookRetryFromEnv(process.env, 'SANDBOX_WHATSAPP_WEBHOOK');
  const webhookRetry = { attempts: retry.maxAttempts ?? 5, baseDelayMs: retry.baseDelayMs ?? 250, maxDelayMs: retry.maxDelayMs };
  serve('whatsapp', createWhatsAppSandbox({ accessToken, appSecret, verifyToken, webhookRetry }), Number(process.env.SANDBOX_WHATSAPP_PORT ?? 4102));
}

const stop = () => {
  let open = servers.length;
  for (const server of servers) {
    server.close(() => --open === 0 && process.exit(0));
    server.closeAllConnections(); // the inbox page may hold keep-alive connections
  }
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
