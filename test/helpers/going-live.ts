import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import { runCommand } from './fresh-clone.js';
import { waitFor } from './temporal.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** What the HubSpot sandbox says about its developer account: the public app and the portals it can install into. */
export interface StandInInfo {
  readonly app: {
    readonly appId: number;
    readonly developerApiKey: string;
    readonly clientId: string;
    readonly clientSecret: string;
  };
  readonly portals: readonly { readonly portalId: string; readonly inboxId: string }[];
  readonly channelAccounts: readonly {
    readonly id: string;
    readonly channelId: string;
    readonly name: string;
    readonly portalId: string;
  }[];
}

export interface StandIns {
  readonly hubspotUrl: string;
  readonly telegramUrl: string;
  info(): Promise<StandInInfo>;
  /** The Telegram emulator's control API (docs/PROVIDERS.md): GET without a body, POST with one. */
  telegram(route: string, body?: unknown): Promise<Response>;
  /** The HubSpot sandbox's control API (docs/SANDBOX.md), acting as a rep or an admin. */
  hubspot(route: string, body?: unknown): Promise<Response>;
  output(): string;
  stop(): Promise<void>;
}

const call = (url: string, body?: unknown) =>
  fetch(
    url,
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );

/**
 * HubSpot and Telegram, played by the sandbox's own entrypoint (packages/sandbox/src/main.ts) on free loopback ports,
 * in
 * memory only (no SANDBOX_STATE_DIR), and without the WhatsApp stand-in (no credentials given). Its own process, as
 * the real services are not part of the bridge's.
 */
export async function startStandIns(): Promise<StandIns> {
  const hubspotPort = await freePort();
  const telegramPort = await freePort();
  const twilioPort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'packages/sandbox/src/main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SANDBOX_HUBSPOT_PORT: String(hubspotPort),
      SANDBOX_TELEGRAM_PORT: String(telegramPort),
      // The Twilio emulator always runs: a free port, so a busy 4104 never stops the sandbox.
      SANDBOX_TWILIO_PORT: String(twilioPort),
      // HubSpot retries a refused webhook after a minute; a few seconds keep a hiccup from outlasting the test.
      SANDBOX_HUBSPOT_WEBHOOK_FIRST_DELAY_MS: '2000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const hubspotUrl = `http://127.0.0.1:${hubspotPort}`;
  const telegramUrl = `http://127.0.0.1:${telegramPort}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`the sandbox exited with ${child.exitCode}:\n${output}`);
        const answers = await Promise.all([
          fetch(`${hubspotUrl}/_sandbox/info`),
          fetch(`${telegramUrl}/_sandbox/telegram/bots`),
        ]).catch(() => []);
        return answers.length === 2 && answers.every((r) => r.ok) ? true : undefined;
      },
      60_000,
      'the HubSpot sandbox and the Telegram emulator',
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    hubspotUrl,
    telegramUrl,
    info: async () => (await (await fetch(`${hubspotUrl}/_sandbox/info`)).json()) as StandInInfo,
    telegram: (route, body) => call(`${telegramUrl}/_sandbox/telegram${route}`, body),
    hubspot: (route, body) => call(`${hubspotUrl}/_sandbox${route}`, body),
    output: () => output,
    stop,
  };
}

/**
 * `.env` as a person fills it in: each setting's line in the copied `.env.example` (set, empty or commented out) gets
 * the value; a setting the file does not list is added at the end.
 */
export function fillIn(dotEnv: string, values: Readonly<Record<string, string>>): string {
  let text = dotEnv;
  for (const [name, value] of Object.entries(values)) {
    const line = new RegExp(`^(# )?${name}=.*$`, 'm');
    text = line.test(text) ? text.replace(line, `${name}=${value}`) : `${text.replace(/\n?$/, '\n')}${name}=${value}\n`;
  }
  return text;
}

export interface Finished {
  readonly code: number | null;
  readonly output: string;
}

/** A command line typed in a terminal in `cwd`, run to its end; interrupted (and a failure) after `timeoutMs`. */
export async function runToEnd(
  commandLine: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<Finished> {
  const command = runCommand(commandLine, cwd, env);
  // 'close', not 'exit': a quick command's last output can still be in the pipe when it exits.
  const closed = new Promise<number | null>((resolve) => command.child.once('close', (code) => resolve(code)));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  const code = await Promise.race([closed, late]);
  clearTimeout(timer);
  if (code === 'late') {
    await command.interrupt(5_000);
    throw new Error(`"${commandLine}" did not finish within ${timeoutMs / 1000} s:\n${command.output()}`);
  }
  return { code, output: command.output() };
}

/** True when `openssl` is on PATH, as the doc assumes. */
export function hasOpenssl(): boolean {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
}

/** After a failure, what the clone's processes and the stand-ins last said: the clone is removed with its logs. */
export function logTails(cloneDir: string, standInOutput: string, lines = 25): string {
  const tail = (text: string) => text.trimEnd().split('\n').slice(-lines).join('\n');
  const logDir = path.join(cloneDir, '.data/logs');
  const logs = fs.existsSync(logDir) ? fs.readdirSync(logDir).filter((f) => f !== 'temporal.log') : [];
  return [
    ...logs.map((f) => `--- ${f} (last ${lines} lines)\n${tail(fs.readFileSync(path.join(logDir, f), 'utf8'))}`),
    `--- stand-ins (last ${lines} lines)\n${tail(standInOutput)}`,
  ].join('\n');
}
