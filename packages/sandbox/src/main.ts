import http, { type RequestListener, type Server } from 'node:http';
import { createHubSpotSandbox } from './hubspot/app.js';
import { sandboxOptionsFromEnv } from './hubspot/options.js';
import { resumeHubSpotWebhooks } from './hubspot/resume.js';
import { createHubSpotSandboxState, restoreHubSpotState, SandboxEvent, savedHubSpotState } from './hubspot/state.js';
import { keepWorld, reportRestored, savingOnRequests, type KeptWorld } from './keep-world.js';
import { SavedStateError, UNUSABLE_STATE_EXIT_CODE, type StateSaves } from './persistence.js';
import { createTelegramSandbox } from './telegram/app.js';
import { resumeTelegramDeliveries } from './telegram/resume.js';
import {
  createTelegramSandboxState,
  DEFAULT_BOT_TOKEN,
  restoreTelegramState,
  savedTelegramState,
} from './telegram/state.js';
import { createTwilioSandbox, restoreTwilioState, savedTwilioState } from './twilio/app.js';
import { webhookRetryFromEnv } from './webhook-replay.js';
import { createWhatsAppSandbox } from './whatsapp/app.js';
import { resumeWhatsAppWebhooks } from './whatsapp/resume.js';
import { restoreWhatsAppState, savedWhatsAppState } from './whatsapp/state.js';

// The sandbox's own entrypoint: every stand-in on its own loopback port. It reads its env here only.
// SANDBOX_STATE_DIR: where each stand-in keeps its world between runs (`npm start` sets <dataDir>/sandbox);
// unset, everything lives in memory only.
const host = '127.0.0.1';
const stateDir = process.env.SANDBOX_STATE_DIR || undefined;
const servers: Server[] = [];
const saves: StateSaves[] = [];

function serve(name: string, app: RequestListener, port: number, kept: KeptWorld | undefined) {
  reportRestored(name, kept);
  if (kept) saves.push(kept.saves);
  servers.push(
    http
      .createServer(savingOnRequests(app, kept?.saves))
      .listen(port, host, () =>
        process.stdout.write(
          `${JSON.stringify({ msg: 'sandbox listening', sandbox: name, url: `http://${host}:${port}` })}\n`,
        ),
      ),
  );
}

function startHubSpot() {
  const state = createHubSpotSandboxState(sandboxOptionsFromEnv(process.env));
  const kept = keepWorld(stateDir, 'hubspot', {
    save: () => savedHubSpotState(state),
    restore: (saved) => restoreHubSpotState(state, saved),
    resume: () => resumeHubSpotWebhooks(state),
  });
  // Webhook answers arrive long after the request that caused them (HubSpot retries for minutes).
  for (const event of Object.values(SandboxEvent)) state.events.on(event, () => kept?.saves.changed());
  serve('hubspot', createHubSpotSandbox(state), Number(process.env.SANDBOX_HUBSPOT_PORT ?? 4100), kept);
}

function startTelegram() {
  const state = createTelegramSandboxState({
    bots: [
      {
        token: process.env.SANDBOX_TELEGRAM_BOT_TOKEN ?? DEFAULT_BOT_TOKEN,
        username: 'channel_bridge_bot',
        firstName: 'channel-bridge demo',
      },
    ],
    // SANDBOX_TELEGRAM_WEBHOOK_MAX_ATTEMPTS, _BASE_DELAY_MS, _MAX_DELAY_MS
    retry: webhookRetryFromEnv(process.env, 'SANDBOX_TELEGRAM_WEBHOOK'),
  });
  const kept = keepWorld(stateDir, 'telegram', {
    save: () => savedTelegramState(state),
    restore: (saved) => restoreTelegramState(state, saved),
    resume: () => resumeTelegramDeliveries(state),
  });
  serve('telegram', createTelegramSandbox({ state }), Number(process.env.SANDBOX_TELEGRAM_PORT ?? 4101), kept);
}

// The WhatsApp Cloud stand-in only starts when given the credentials the bridge will use (npm start does).
function startWhatsApp() {
  const whatsapp = {
    accessToken: process.env.SANDBOX_WHATSAPP_ACCESS_TOKEN,
    appSecret: process.env.SANDBOX_WHATSAPP_APP_SECRET,
    verifyToken: process.env.SANDBOX_WHATSAPP_VERIFY_TOKEN,
  };
  if (!whatsapp.accessToken || !whatsapp.appSecret || !whatsapp.verifyToken) return;
  const { accessToken, appSecret, verifyToken } = whatsapp;
  // SANDBOX_WHATSAPP_WEBHOOK_MAX_ATTEMPTS, _BASE_DELAY_MS, _MAX_DELAY_MS (defaults: 5 attempts from 250 ms, doubling)
  const retry = webhookRetryFromEnv(process.env, 'SANDBOX_WHATSAPP_WEBHOOK');
  const webhookRetry = {
    attempts: retry.maxAttempts ?? 5,
    baseDelayMs: retry.baseDelayMs ?? 250,
    maxDelayMs: retry.maxDelayMs,
  };
  const app = createWhatsAppSandbox({ accessToken, appSecret, verifyToken, webhookRetry });
  const kept = keepWorld(stateDir, 'whatsapp', {
    save: () => savedWhatsAppState(app.whatsapp),
    restore: (saved) => restoreWhatsAppState(app.whatsapp, saved),
    resume: () => resumeWhatsAppWebhooks(app.whatsapp),
  });
  serve('whatsapp', app, Number(process.env.SANDBOX_WHATSAPP_PORT ?? 4102), kept);
}

// Twilio SMS/MMS: its fixed test account (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_PHONE_NUMBER), so a
// restarted emulator keeps the bridge's stored credentials valid. The number's webhook is set later, by the runner.
function startTwilio() {
  const port = Number(process.env.SANDBOX_TWILIO_PORT ?? 4104);
  // MediaUrl values in its webhooks are built from it: the address the bridge fetches the customer's files from.
  const app = createTwilioSandbox({ baseUrl: `http://${host}:${port}` });
  const kept = keepWorld(stateDir, 'twilio', {
    save: () => savedTwilioState(app.twilio),
    restore: (saved) => restoreTwilioState(app.twilio, saved),
    // Status callbacks pending at the last stop are not replayed (restoreTwilioState): nothing to resume.
    resume: () => 0,
  });
  serve('twilio', app, port, kept);
}

try {
  startHubSpot();
  startTelegram();
  startWhatsApp();
  startTwilio();
} catch (error) {
  if (!(error instanceof SavedStateError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(UNUSABLE_STATE_EXIT_CODE);
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  let open = servers.length;
  for (const server of servers) {
    server.close(() => {
      if (--open > 0) return;
      // Last: nothing answers any more, so what is written is the final state.
      for (const kept of saves) kept.flush();
      process.exit(0);
    });
    server.closeAllConnections(); // the inbox page may hold keep-alive connections
  }
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
