import { createHubSpotSandbox } from './hubspot/app.js';
import { createHubSpotSandboxState } from './hubspot/state.js';

// The sandbox's own entrypoint; it reads its env here and nowhere else.
const host = process.env.SANDBOX_HOST ?? '127.0.0.1';
const port = Number(process.env.SANDBOX_PORT ?? 4100);

const state = createHubSpotSandboxState();
const server = createHubSpotSandbox(state).listen(port, host, () => {
  process.stdout.write(`${JSON.stringify({ msg: 'sandbox listening', url: `http://${host}:${port}` })}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
