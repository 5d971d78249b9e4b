import { Command, Option } from 'commander';
import { createChannelsClient, type DeveloperCredentials } from '../hubspot/channels.js';
import { HubSpotApiError } from '../hubspot/errors.js';
import { readChannelConfig, toChannelDefinition } from './config-file.js';

interface HubSpotOptions {
  readonly baseUrl: string;
  readonly developerApiKey?: string;
  readonly appId?: string;
  readonly adminToken?: string;
}

/** Thrown for a bad command line; the message says which option or variable to set. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** State-changing actions need the admin token (BRIDGE_ADMIN_TOKEN or --admin-token), like the api's admin endpoints. */
export function requireAdminToken(token: string | undefined): void {
  if (!token) throw new CliUsageError('this action changes state and needs the admin token: set BRIDGE_ADMIN_TOKEN or pass --admin-token');
  if (token.length < 16) throw new CliUsageError('the admin token must be at least 16 characters (BRIDGE_ADMIN_TOKEN)');
}

function credentials(options: HubSpotOptions): DeveloperCredentials {
  const missing = [
    !options.developerApiKey && 'the developer API key (HUBSPOT_DEVELOPER_API_KEY or --developer-api-key)',
    !options.appId && 'the app id (HUBSPOT_APP_ID or --app-id)',
  ].filter(Boolean);
  if (missing.length) throw new CliUsageError(`channel commands need ${missing.join(' and ')}`);
  if (!/^\d+$/.test(options.appId!)) throw new CliUsageError('the app id must be the numeric id of the HubSpot app (HUBSPOT_APP_ID)');
  return { baseUrl: options.baseUrl.replace(/\/$/, ''), developerApiKey: options.developerApiKey!, appId: options.appId! };
}

function channelId(value: string): string {
  if (!/^\d+$/.test(value)) throw new CliUsageError(`"${value}" is not a channel id: use the numeric id "channel register" printed`);
  return value;
}

/** HubSpot's refusal, with each validation problem on its own line. */
export function describeHubSpotError(error: unknown): Error {
  if (!(error instanceof HubSpotApiError)) return error as Error;
  const details = (error.body?.errors ?? []).map((e) => `\n  - ${e.message}`).join('');
  const hint = error.status === 401 ? '\n  (check HUBSPOT_DEVELOPER_API_KEY and HUBSPOT_APP_ID)' : error.status === 404 ? '\n  (no such channel for this app)' : '';
  return new Error(`${error.message}${error.body?.subCategory ? ` [${error.body.subCategory}]` : ''}${details}${hint}`);
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

async function run<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw describeHubSpotError(error);
  }
}

/** `channel-bridge channel register|show|update|archive`: the app's custom channel, with the developer API key. */
export function channelCommand(): Command {
  const channel = new Command('channel').description("register and manage the app's HubSpot custom channel (developer API key + app id)");
  const common = (cmd: Command) =>
    cmd
      .addOption(new Option('--developer-api-key <key>', 'developer API key').env('HUBSPOT_DEVELOPER_API_KEY'))
      .addOption(new Option('--app-id <id>', 'HubSpot app id').env('HUBSPOT_APP_ID'))
      .addOption(new Option('--base-url <url>', 'HubSpot API base URL').env('HUBSPOT_BASE_URL').default('https://api.hubapi.com'))
      .addOption(new Option('--admin-token <token>', "the bridge's admin token").env('BRIDGE_ADMIN_TOKEN'));

  common(channel.command('register').description('register the channel from a config file (JSON or YAML); prints it with its id'))
    .requiredOption('-c, --config <file>', 'channel config file, e.g. examples/channel.json')
    .action(async (options: HubSpotOptions & { config: string }) => {
      requireAdminToken(options.adminToken);
      const definition = toChannelDefinition(readChannelConfig(options.config));
      const created = await run(() => createChannelsClient(credentials(options)).register(definition));
      print(created);
      process.stderr.write(`registered channel ${created.id}: set HUBSPOT_CHANNEL_ID=${created.id}\n`);
    });

  common(channel.command('show').description('print a registered channel').argument('<channelId>'))
    .action(async (id: string, options: HubSpotOptions) => {
      print(await run(() => createChannelsClient(credentials(options)).get(channelId(id))));
    });

  common(channel.command('update').description("replace the channel's definition with a config file").argument('<channelId>'))
    .requiredOption('-c, --config <file>', 'channel config file')
    .action(async (id: string, options: HubSpotOptions & { config: string }) => {
      requireAdminToken(options.adminToken);
      const definition = toChannelDefinition(readChannelConfig(options.config));
      print(await run(() => createChannelsClient(credentials(options)).update(channelId(id), definition)));
    });

  common(channel.command('archive').description('archive the channel: no portal can connect it any more').argument('<channelId>'))
    .option('--yes', 'confirm: connected accounts stop working')
    .action(async (id: string, options: HubSpotOptions & { yes?: boolean }) => {
      requireAdminToken(options.adminToken);
      if (!options.yes) throw new CliUsageError('archiving stops every connected account; add --yes to confirm');
      await run(() => createChannelsClient(credentials(options)).archive(channelId(id)));
      process.stdout.write(`archived channel ${id}\n`);
    });
  return channel;
}
