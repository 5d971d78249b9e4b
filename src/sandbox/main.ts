import type { Server } from 'node:http';
import { createHubSpotSandbox } from './hubspot/app.js';
import { createHubSpotSandboxState } from './hubspot/state.js';

// The sandbox's own entrypoint: every stand-in on its own loopback port. It reads its env here only.
const host = '127.0.0.1';
const servers: Server[] = [];

function serve(name: string, app: { listen: (port: number, host: string, cb: () => void) => Server }, port: number) {
  servers.push(
    app.listen(port, host, () => process.stdout.write(`${JSON.stringify({ msg: 'sandbox listening', sandbox: name, url: `http://${host}:${port}` })}\n`)),
  );
}

serve('hubspot', createHubSpotSandbox(createHubSpotSandboxState()), Number(process.env.SANDBOX_HUBSPOT_PORT ?? 4100));

const stop = () => {
  let open = servers.length;
  for (const server of servers) {
    server.close(() => --open === 0 && process.exit(0));
    server.closeAllConnections(); // the inbox page may hold keep-alive connections
  }
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
