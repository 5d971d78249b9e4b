import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../../bridge/src/config.js';
import { withDotEnv } from '../../../bridge/src/config-dotenv.js';
import { httpOk, spawnEntrypoint, workerProbe, tail, waitUntil, type ManagedChild } from '../local/children.js';
import type { LocalState as BridgeLocalState } from '../../../bridge/src/cli/local-state.js';
import { banner } from '../local/banner.js';
import type { DemoAccount } from '../local/demo-seed.js';
import { forgetLocalState } from '../local/fresh-start.js';
import { startSandboxMode } from '../local/sandbox-mode.js';
import {
  provisionTemporalCli,
  startTemporalDevServer,
  stopChild,
  type DevServer,
} from '../local/temporal-dev-server.js';

export interface StartSettings {
  readonly dataDir: string;
  readonly apiPort: number;
  readonly sandboxPort: number;
  readonly telegramSandboxPort: number;
  readonly whatsappSandboxPort: number;
  readonly genericSandboxPort: number;
  readonly twilioSandboxPort: number;
  readonly temporalPort: number;
  readonly temporalUiPort: number;
  /** Sandbox mode unless the public app's client id (or, for a sandbox of your own, a static token) is configured. */
  readonly sandbox: boolean;
  /** `--fresh`: forget the state the data folder keeps between runs (logs stay), then seed a new sandbox world. */
  readonly fresh?: boolean;
  /** `--json`: progress goes to stderr; stdout gets one JSON object once everything runs (readyLine). */
  readonly json?: boolean;
}

/** What `start --json` prints once everything runs: the pages and files, without the state's credentials. */
function readyLine(state: LocalState, stateFile: string, world: 'new' | 'reused' | undefined): string {
  const customerPages = state.accounts.flatMap((a) =>
    a.customerPage ? [{ provider: a.provider, url: a.customerPage }] : [],
  );
  return `${JSON.stringify({ running: true, mode: state.mode, world: world ?? null, urls: state.urls, customerPages, stateFile, logs: state.logs })}\n`;
}

/** From the environment over `.env` (src/config-dotenv.ts), as the api and worker read theirs. */
export function startSettings(processEnv: NodeJS.ProcessEnv): StartSettings {
  const env = withDotEnv(processEnv);
  const port = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1 || value > 65535)
      throw new Error(`${name} must be a port number, got "${env[name]}"`);
    return value;
  };
  return {
    dataDir: path.resolve(env.BRIDGE_DATA_DIR ?? '.data'),
    apiPort: port('BRIDGE_API_PORT', 3000),
    sandboxPort: port('SANDBOX_HUBSPOT_PORT', 4100),
    telegramSandboxPort: port('SANDBOX_TELEGRAM_PORT', 4101),
    whatsappSandboxPort: port('SANDBOX_WHATSAPP_PORT', 4102),
    genericSandboxPort: port('SANDBOX_GENERIC_PORT', 4103),
    twilioSandboxPort: port('SANDBOX_TWILIO_PORT', 4104),
    temporalPort: port('TEMPORAL_PORT', 7233),
    temporalUiPort: port('TEMPORAL_UI_PORT', 8233),
    sandbox: !env.HUBSPOT_CLIENT_ID && !env.HUBSPOT_ACCESS_TOKEN,
  };
}

function assertPortFree(port: number, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', () =>
      reject(new Error(`port ${port} is already in use: stop what uses it, or set ${variable}`)),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/**
 * The machine-readable description of the running system, for scripts and tests: the bridge's part and the demo
 * accounts.
 */
export interface LocalState extends BridgeLocalState {
  readonly accounts: readonly DemoAccount[];
}

/**
 * `npm start`: Temporal dev server (with UI), sandbox, api and worker as child processes; prints the
 * pages to open and writes `<dataDir>/local.json`. Resolves when everything has stopped.
 */
export async function runStart(
  settings: StartSettings,
  env: NodeJS.ProcessEnv = withDotEnv(process.env),
): Promise<number> {
  const progress = settings.json ? process.stderr : process.stdout;
  const logDir = path.join(settings.dataDir, 'logs');
  const apiUrl = `http://127.0.0.1:${settings.apiPort}`;
  await assertPortFree(settings.apiPort, 'BRIDGE_API_PORT');
  await assertPortFree(settings.temporalUiPort, 'TEMPORAL_UI_PORT');
  if (settings.sandbox) {
    await assertPortFree(settings.sandboxPort, 'SANDBOX_HUBSPOT_PORT');
    await assertPortFree(settings.telegramSandboxPort, 'SANDBOX_TELEGRAM_PORT');
    await assertPortFree(settings.whatsappSandboxPort, 'SANDBOX_WHATSAPP_PORT');
    await assertPortFree(settings.genericSandboxPort, 'SANDBOX_GENERIC_PORT');
    await assertPortFree(settings.twilioSandboxPort, 'SANDBOX_TWILIO_PORT');
  }
  if (settings.fresh) {
    // In live mode the store holds real accounts' credentials: not something a flag should throw away.
    if (!settings.sandbox) {
      process.stderr.write(
        `--fresh starts a new sandbox world, and this is live mode (HUBSPOT_CLIENT_ID is set); to start over, remove ${settings.dataDir} yourself\n`,
      );
      return 1;
    }
    // After the port checks: a system still running on this folder keeps its ports, so its data is never removed.
    const removed = forgetLocalState(settings.dataDir);
    progress.write(
      `Starting fresh: removed ${removed.length ? removed.map((p) => path.relative(settings.dataDir, p)).join(', ') : 'nothing (no saved state)'} in ${settings.dataDir}\n`,
    );
  }

  const children: ManagedChild[] = [];
  let temporal: DevServer | undefined;
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    await Promise.all(children.map((c) => stopChild(c.process)));
    await temporal?.stop();
  };
  const stopped = new Promise<number>((resolve) => {
    const onSignal = (signal: string) => {
      if (stopping) return;
      progress.write(
        `\n${signal}: stopping ${settings.sandbox ? 'api, worker, sandbox' : 'api, worker'} and Temporal...\n`,
      );
      void stopAll().then(() => resolve(0));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

  try {
    progress.write('Provisioning the Temporal CLI...\n');
    const cliPath = await provisionTemporalCli();
    temporal = await startTemporalDevServer({
      cliPath,
      port: settings.temporalPort,
      uiPort: settings.temporalUiPort,
      dbFile: path.join(settings.dataDir, 'temporal.sqlite'),
      logFile: path.join(logDir, 'temporal.log'),
    });

    const bridgeEnv: NodeJS.ProcessEnv = {
      TEMPORAL_ADDRESS: temporal.address,
      BRIDGE_API_PORT: String(settings.apiPort),
      BRIDGE_DATA_DIR: settings.dataDir,
    };
    let hubspot: LocalState['hubspot'] = { baseUrl: env.HUBSPOT_BASE_URL ?? 'https://api.hubapi.com' };
    let channelId = env.HUBSPOT_CHANNEL_ID ?? '';
    const accounts: DemoAccount[] = [];

    let afterApiReady = async () => {};
    let world: 'new' | 'reused' | undefined;
    if (settings.sandbox) {
      const sandbox = await startSandboxMode(
        settings.dataDir,
        {
          hubspot: settings.sandboxPort,
          telegram: settings.telegramSandboxPort,
          whatsapp: settings.whatsappSandboxPort,
          generic: settings.genericSandboxPort,
          twilio: settings.twilioSandboxPort,
        },
        apiUrl,
        children,
      );
      const { app, portals } = sandbox.info;
      channelId = sandbox.channelId;
      accounts.push(...sandbox.accounts);
      hubspot = {
        baseUrl: sandbox.hubspotUrl,
        portalId: portals[0]!.portalId,
        accessToken: portals[0]!.accessToken,
        appId: app.appId,
        developerApiKey: app.developerApiKey,
        clientSecret: app.clientSecret,
      };
      // The emulators start with the api. Unless they resumed deliveries from the last run, no sender has a retry
      // pending, so the api skips the catch-up hold after a silence (docs/RELIABILITY.md) and answers at once.
      const sendersStartWithApi = sandbox.resumedDeliveries === 0 ? 'true' : 'false';
      Object.assign(bridgeEnv, sandbox.bridgeEnv, {
        BRIDGE_PUBLIC_URL: apiUrl,
        BRIDGE_SENDERS_START_WITH_API: sendersStartWithApi,
      });
      afterApiReady = sandbox.afterApiReady;
      world = sandbox.reused ? 'reused' : 'new';
    } else {
      loadConfig({ ...env, ...bridgeEnv }); // fail now, with every problem listed, rather than in a child
    }

    const probe = await workerProbe(env);
    const api = spawnEntrypoint('api', 'packages/bridge/src/server.ts', bridgeEnv, logDir);
    const worker = spawnEntrypoint('worker', 'packages/bridge/src/worker.ts', { ...bridgeEnv, ...probe.env }, logDir);
    children.push(api, worker);
    await Promise.all([
      waitUntil(api, 'ready', httpOk(`${apiUrl}/readyz`)),
      waitUntil(worker, 'polling', httpOk(probe.readyzUrl)),
    ]);
    await afterApiReady();

    const state: LocalState = {
      mode: settings.sandbox ? 'sandbox' : 'live',
      startedAt: new Date().toISOString(),
      pid: process.pid,
      urls: {
        api: apiUrl,
        hubspotInbox: settings.sandbox ? `${hubspot.baseUrl}/` : undefined,
        temporalUi: temporal.uiUrl!,
        temporal: temporal.address,
      },
      hubspot,
      channelId,
      accounts,
      logs: Object.fromEntries([
        ...children.map((c) => [c.name, c.logFile]),
        ['temporal', path.join(logDir, 'temporal.log')],
      ]),
    };
    const stateFile = path.join(settings.dataDir, 'local.json');
    fs.writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
    process.stdout.write(settings.json ? readyLine(state, stateFile, world) : banner(state, stateFile, world));
    watchForCrashes(children, () => stopping, stopAll);
  } catch (error) {
    process.stderr.write(`\nStart failed: ${error instanceof Error ? error.message : String(error)}\n`);
    await stopAll();
    return 1;
  }
  return stopped;
}

/** A child that dies on its own takes the whole local system down, loudly, with its last log lines. */
function watchForCrashes(
  children: readonly ManagedChild[],
  isStopping: () => boolean,
  stopAll: () => Promise<void>,
): void {
  for (const child of children) {
    child.process.once('exit', (code) => {
      if (isStopping()) return;
      process.stderr.write(`\n${child.name} exited unexpectedly (code ${code}):\n${tail(child.logFile)}\n`);
      void stopAll().then(() => process.exit(1));
    });
  }
}
