import http from 'node:http';
import { keepWorld, reportRestored, savingOnRequests, type KeptWorld } from '../keep-world.js';
import { SavedStateError, UNUSABLE_STATE_EXIT_CODE } from '../persistence.js';
import { webhookRetryFromEnv } from '../webhook-replay.js';
import { createGenericSandbox } from './app.js';
import { DEFAULT_RETRY } from './deliver.js';
import { resumeGenericDeliveries } from './resume.js';
import { restoreGenericState, savedGenericState } from './state.js';

// The generic emulator on its own: `tsx packages/sandbox/src/generic/main.ts`. It reads its env here only.
// SANDBOX_STATE_DIR: where it keeps its world between runs (`npm start` sets <dataDir>/sandbox); unset, in memory only.
const host = process.env.GENERIC_SANDBOX_HOST ?? '127.0.0.1';
const port = Number(process.env.GENERIC_SANDBOX_PORT ?? 4300);
const bridgeUrl = process.env.GENERIC_BRIDGE_URL;
const signingSecret = process.env.GENERIC_SIGNING_SECRET;
if (!bridgeUrl || !signingSecret) {
  process.stderr.write(
    'set GENERIC_BRIDGE_URL ({bridge}/webhooks/generic/{accountId}) and GENERIC_SIGNING_SECRET (whsec_…)\n',
  );
  process.exit(2);
}
// GENERIC_WEBHOOK_MAX_ATTEMPTS, _BASE_DELAY_MS, _MAX_DELAY_MS: how long the emulator keeps retrying the bridge.
const retry = webhookRetryFromEnv(process.env, 'GENERIC_WEBHOOK');
const app = createGenericSandbox({ bridgeUrl, signingSecret, autoReceipts: ['delivered'], retry });
let kept: KeptWorld | undefined;
try {
  kept = keepWorld(process.env.SANDBOX_STATE_DIR || undefined, 'generic', {
    save: () => savedGenericState(app.sandbox),
    restore: (saved) => restoreGenericState(app.sandbox, saved),
    resume: () =>
      resumeGenericDeliveries(app.sandbox, { fetch: globalThis.fetch, retry: { ...DEFAULT_RETRY, ...retry } }),
  });
} catch (error) {
  if (!(error instanceof SavedStateError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(UNUSABLE_STATE_EXIT_CODE);
}
reportRestored('generic', kept);
const server = http.createServer(savingOnRequests(app, kept?.saves)).listen(port, host, () => {
  const url = `http://${host}:${port}`;
  process.stdout.write(
    `${JSON.stringify({ msg: 'generic emulator listening', customerPage: `${url}/`, callbackUrl: `${url}/connector/callback` })}\n`,
  );
});
const stop = () => {
  server.close(() => {
    kept?.saves.flush(); // after the last answer, so what is written is the final state
    process.exit(0);
  });
  server.closeAllConnections();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
