import { webhookRetryFromEnv } from '../webhook-replay.js';
import { createGenericSandbox } from './app.js';

// The generic emulator on its own: `tsx src/sandbox/generic/main.ts`. It reads its env here only.
const host = process.env.GENERIC_SANDBOX_HOST ?? '127.0.0.1';
const port = Number(process.env.GENERIC_SANDBOX_PORT ?? 4300);
const bridgeUrl = process.env.GENERIC_BRIDGE_URL;
const signingSecret = process.env.GENERIC_SIGNING_SECRET;
if (!bridgeUrl || !signingSecret) {
  process.stderr.write('set GENERIC_BRIDGE_URL ({bridge}/webhooks/generic/{accountId}) and GENERIC_SIGNING_SECRET (whsec_…)\n');
  process.exit(2);
}
// GENERIC_WEBHOOK_MAX_ATTEMPTS, _BASE_DELAY_MS, _MAX_DELAY_MS: how long the emulator keeps retrying the bridge.
const retry = webhookRetryFromEnv(process.env, 'GENERIC_WEBHOOK');
const app = createGenericSandbox({ bridgeUrl, signingSecret, autoReceipts: ['delivered'], retry });
const server = app.listen(port, host, () => {
  const url = `http://${host}:${port}`;
  process.stdout.write(`${JSON.stringify({ msg: 'generic emulator listening', customerPage: `${url}/`, callbackUrl: `${url}/connector/callback` })}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
