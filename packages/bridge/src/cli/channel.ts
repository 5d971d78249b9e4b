import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { createRedactor } from '../doctor/redact.js';
import { createChannelsClient, type DeveloperCredentials } from '../hubspot/channels.js';
import { HubSpotApiError } from '../hubspot/errors.js';
import { readChannelConfig, toChannelDefinition } from './config-file.js';
import type { LocalState } from './local-state.js';
import { CliUsageError } from './usage-error.js';

interface HubSpotOptions {
  readonly baseUrl: string;
  readonly developerApiKey?: string;
  readonly appId?: string;
  readonly adminToken?: string;
  readonly dataDir: string;
}

/** Which HubSpot a channel command talks to, and where that came from (the settings, or a running `npm start`). */
interface Target {
  readonly credentials: DeveloperCredentials;
  /** Set when the credentials are the local sandbox's, from `npm start`'s local.json. */
  readonly localState?: string;
  readonly channelId?: string;
}

/**
 * State-changing actions need the admin token (BRIDGE_ADMIN_TOKEN or --admin-token), like the api's admin endpoints.
 */
export function requireAdminToken(token: string | undefined): void {
  if (!token)
    throw new CliUsageError(
      'this action changes state and needs the admin token: set BRIDGE_ADMIN_TOKEN or pass --admin-token',
    );
  if (token.length < 16) throw new CliUsageError('the admin token must be at least 16 characters (BRIDGE_ADMIN_TOKEN)');
}

const NEED_KEY = 'the developer API key (HUBSPOT_DEVELOPER_API_KEY or --developer-api-key)';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The sandbox HubSpot of a running `npm start`, as the other local commands find it (`demo send`): its
 * `<dataDir>/local.json`. Returns why not when there is none to use.
 */
function localSandbox(dataDir: string): Target | { readonly missing: string } {
  const file = path.join(path.resolve(dataDir), 'local.json');
  if (!fs.existsSync(file))
    return { missing: `no running local sandbox either (${file} does not exist; "npm start" writes it)` };
  let state: LocalState;
  try {
    state = JSON.parse(fs.readFileSync(file, 'utf8')) as LocalState;
  } catch {
    return { missing: `no usable local sandbox either (${file} is not valid JSON)` };
  }
  const { baseUrl, developerApiKey, appId } = state.hubspot ?? {};
  if (state.mode !== 'sandbox' || !baseUrl || !developerApiKey || !appId)
    return { missing: `no local sandbox either (${file} describes a live run, which keeps no developer API key)` };
  if (!isRunning(state.pid))
    return { missing: `the local sandbox is not running ("npm start", pid ${state.pid}, has stopped; start it again)` };
  return {
    credentials: { baseUrl: baseUrl.replace(/\/$/, ''), developerApiKey, appId: String(appId) },
    localState: file,
    channelId: state.channelId || undefined,
  };
}

/** The settings' developer API key and app id; without a key, the running local sandbox's (npm start). */
function target(options: HubSpotOptions): Target {
  if (!options.developerApiKey) {
    const local = localSandbox(options.dataDir);
    if ('credentials' in local) {
      process.stderr.write(
        `channel-bridge: using the local sandbox HubSpot at ${local.credentials.baseUrl} (from ${local.localState})\n`,
      );
      return local;
    }
    const alsoApp = options.appId ? '' : ' and the app id (HUBSPOT_APP_ID or --app-id)';
    throw new CliUsageError(`channel commands need ${NEED_KEY}${alsoApp}; ${local.missing}`);
  }
  if (!options.appId) throw new CliUsageError('channel commands need the app id (HUBSPOT_APP_ID or --app-id)');
  if (!/^\d+$/.test(options.appId))
    throw new CliUsageError('the app id must be the numeric id of the HubSpot app (HUBSPOT_APP_ID)');
  return {
    credentials: {
      baseUrl: options.baseUrl.replace(/\/$/, ''),
      developerApiKey: options.developerApiKey,
      appId: options.appId,
    },
  };
}

function channelId(value: string): string {
  if (!/^\d+$/.test(value))
    throw new CliUsageError(`"${value}" is not a channel id: use the numeric id "channel register" printed`);
  return value;
}

/** HubSpot's refusal, with each validation problem on its own line. */
export function describeHubSpotError(error: unknown): Error {
  if (!(error instanceof HubSpotApiError)) return error as Error;
  const details = (error.body?.errors ?? []).map((e) => `\n  - ${e.message}`).join('');
  const hint =
    error.status === 401
      ? '\n  (check HUBSPOT_DEVELOPER_API_KEY and HUBSPOT_APP_ID)'
      : error.status === 404
        ? '\n  (no such channel for this app)'
        : '';
  return new Error(`${error.message}${error.body?.subCategory ? ` [${error.body.subCategory}]` : ''}${details}${hint}`);
}

/** A request that never got an answer: where it went and why, without the request URL (it carries ?hapikey=). */
function unreachable(error: unknown, to: Target): Error | undefined {
  const code = (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  if (typeof code !== 'string' || !/^(E[A-Z_]+|UND_ERR\w*)$/.test(code)) return undefined;
  const where = to.localState
    ? `the local sandbox HubSpot at ${to.credentials.baseUrl} (from ${to.localState}; is "npm start" still running?)`
    : `HubSpot at ${to.credentials.baseUrl} (check HUBSPOT_BASE_URL or --base-url)`;
  return new Error(`cannot reach ${where}: ${code}`);
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

/** Runs one call; whatever it throws is described, and the developer API key scrubbed from the text. */
async function run<T>(to: Target, action: (client: ReturnType<typeof createChannelsClient>) => Promise<T>): Promise<T> {
  try {
    return await action(createChannelsClient(to.credentials));
  } catch (error) {
    const described = unreachable(error, to) ?? describeHubSpotError(error);
    throw new Error(
      createRedactor([to.credentials.developerApiKey]).redact(
        described instanceof Error ? described.message : String(described),
      ),
    );
  }
}

/** `channel-bridge channel register|show|update|archive`: the app's custom channel, with the developer API key. */
export function channelCommand(env: NodeJS.ProcessEnv = process.env): Command {
  const channel = new Command('channel').description(
    "register and manage the app's HubSpot custom channel (developer API key + app id)",
  );
  const common = (cmd: Command) =>
    cmd
      .addOption(
        new Option(
          '--developer-api-key <key>',
          'developer API key (without one: the running local sandbox, from npm start)',
        ).env('HUBSPOT_DEVELOPER_API_KEY'),
      )
      .addOption(new Option('--app-id <id>', 'HubSpot app id').env('HUBSPOT_APP_ID'))
      .addOption(
        new Option('--base-url <url>', 'HubSpot API base URL')
          .env('HUBSPOT_BASE_URL')
          .default('https://api.hubapi.com'),
      )
      .addOption(new Option('--admin-token <token>', "the bridge's admin token").env('BRIDGE_ADMIN_TOKEN'))
      .addOption(
        new Option('--data-dir <dir>', "npm start's data folder, where a running local sandbox is found")
          .env('BRIDGE_DATA_DIR')
          .default('.data'),
      )
      .option('--json', 'print JSON (register, show and update always do: the channel as HubSpot answered it)');

  common(
    channel
      .command('register')
      .description('register the channel from a config file (JSON or YAML); prints it with its id'),
  )
    .requiredOption('-c, --config <file>', 'channel config file, e.g. examples/channel.json')
    .action(async (options: HubSpotOptions & { config: string }) => {
      requireAdminToken(options.adminToken);
      const definition = toChannelDefinition(readChannelConfig(options.config));
      const created = await run(target(options), (client) => client.register(definition));
      print(created);
      process.stderr.write(`registered channel ${created.id}: set HUBSPOT_CHANNEL_ID=${created.id}\n`);
    });

  common(
    channel
      .command('show')
      .description("print a registered channel (default: HUBSPOT_CHANNEL_ID, or the local sandbox's)")
      .argument('[channelId]'),
  ).action(async (id: string | undefined, options: HubSpotOptions) => {
    const to = target(options);
    const chosen = id ?? (to.localState ? to.channelId : env.HUBSPOT_CHANNEL_ID);
    if (!chosen)
      throw new CliUsageError('name the channel: channel-bridge channel show <channelId>, or set HUBSPOT_CHANNEL_ID');
    print(await run(to, (client) => client.get(channelId(chosen))));
  });

  common(
    channel
      .command('update')
      .description("replace the channel's definition with a config file")
      .argument('<channelId>'),
  )
    .requiredOption('-c, --config <file>', 'channel config file')
    .action(async (id: string, options: HubSpotOptions & { config: string }) => {
      requireAdminToken(options.adminToken);
      const definition = toChannelDefinition(readChannelConfig(options.config));
      print(await run(target(options), (client) => client.update(channelId(id), definition)));
    });

  common(
    channel
      .command('archive')
      .description('archive the channel: no portal can connect it any more')
      .argument('<channelId>'),
  )
    .option('--yes', 'confirm: connected accounts stop working')
    .action(async (id: string, options: HubSpotOptions & { yes?: boolean; json?: boolean }) => {
      requireAdminToken(options.adminToken);
      if (!options.yes) throw new CliUsageError('archiving stops every connected account; add --yes to confirm');
      await run(target(options), (client) => client.archive(channelId(id)));
      if (options.json) print({ archived: id });
      else process.stdout.write(`archived channel ${id}\n`);
    });
  return channel;
}
