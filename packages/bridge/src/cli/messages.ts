import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Command, InvalidArgumentError } from 'commander';
import {
  formatList,
  formatReport,
  formatRetry,
  InspectError,
  listMessages,
  retryMessage,
  showMessage,
  TemporalUnavailable,
  type InspectContext,
} from '../inspect/index.js';
import { deadLettersCommand } from './dead-letters.js';
import { openMessageMappings, type MappingSettings } from './message-mappings.js';

/** Where the CLI finds Temporal; flags override the environment. */
export interface InspectSettings {
  readonly address: string;
  readonly namespace: string;
  readonly uiUrl: string;
  readonly apiKey?: string;
  /** The bridge's store, for the message mappings (a HubSpot message id of an inbound message). */
  readonly store: MappingSettings;
}

export function inspectSettings(env: NodeJS.ProcessEnv): InspectSettings {
  return {
    address: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    uiUrl: env.TEMPORAL_UI_URL || `http://localhost:${env.TEMPORAL_UI_PORT || '8233'}`,
    // Temporal Cloud with an API key; mTLS clusters: use the Temporal CLI or the admin API of a configured api.
    apiKey: env.TEMPORAL_API_KEY || undefined,
    store: {
      databaseUrl: env.BRIDGE_DATABASE_URL || undefined,
      sqlitePath: env.BRIDGE_SQLITE_PATH || path.join(env.BRIDGE_DATA_DIR || '.data', 'bridge.sqlite'),
    },
  };
}

/** Exit codes: 2 bad input, 3 no such message or not retryable, 4 Temporal unreachable, 1 anything else. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof TemporalUnavailable) return 4;
  if (error instanceof InspectError) return error.status === 400 ? 2 : 3;
  return 1;
}

type Common = { address?: string; namespace?: string; uiUrl?: string; json?: boolean };

async function withContext<T>(
  defaults: InspectSettings,
  options: Common,
  run: (ctx: InspectContext) => Promise<T>,
  print: (value: T) => string,
): Promise<number> {
  let connection: Connection | undefined;
  let store: Awaited<ReturnType<typeof openMessageMappings>> | undefined;
  try {
    connection = await Connection.connect({
      address: options.address ?? defaults.address,
      connectTimeout: '5 seconds',
      ...(defaults.apiKey ? { apiKey: defaults.apiKey, tls: true } : {}),
    }).catch((error: unknown) => {
      throw new TemporalUnavailable(error);
    });
    store = await openMessageMappings(defaults.store);
    const ctx = {
      client: new Client({ connection, namespace: options.namespace ?? defaults.namespace }),
      namespace: options.namespace ?? defaults.namespace,
      uiUrl: options.uiUrl ?? defaults.uiUrl,
      mappings: store.mappings,
    };
    const value = await run(ctx);
    process.stdout.write(`${options.json ? JSON.stringify(value, null, 2) : print(value)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`channel-bridge messages: ${error instanceof Error ? error.message : String(error)}\n`);
    return exitCodeFor(error);
  } finally {
    await connection?.close();
    await store?.close();
  }
}

function limitOption(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new InvalidArgumentError('limit must be a whole number from 1 to 1000');
  return limit;
}

function common(command: Command): Command {
  return command
    .option('--address <host:port>', 'Temporal frontend (default TEMPORAL_ADDRESS or 127.0.0.1:7233)')
    .option('--namespace <name>', 'Temporal namespace (default TEMPORAL_NAMESPACE or default)')
    .option('--ui-url <url>', 'Temporal UI base for links (default TEMPORAL_UI_URL or http://localhost:8233)')
    .option('--json', 'print JSON instead of text');
}

/** `channel-bridge messages show|list|retry`, and `messages dead-letters` (src/cli/dead-letters.ts). */
export function messagesCommand(settings: InspectSettings): Command {
  const messages = new Command('messages').description('find a message, read what happened to it, retry it');
  common(messages.command('show'))
    .argument('<id>', 'HubSpot message id, provider message id, or workflow id (inbound:… / outbound:…)')
    .description(
      "the message's status, whether it can be retried, every run of it, a timeline of the latest run's steps (attempts, errors, durations) and its Temporal UI link",
    )
    .action(async (id: string, options: Common) => {
      process.exitCode = await withContext(settings, options, (ctx) => showMessage(ctx, id), formatReport);
    });
  common(messages.command('list'))
    .option('--account <id>', 'channel account id (BridgeAccountId)')
    .option('--conversation <key>', 'conversation key {accountId}:{chatId} (BridgeConversationKey)')
    .option('--status <status>', 'ACCEPTED, HELD, PUBLISHED, SENT, READ or FAILED')
    .option('--direction <direction>', 'inbound or outbound')
    .option('--since <time>', 'ISO time or a duration back from now (30m, 12h, 7d)')
    .option('--until <time>', 'ISO time or a duration back from now')
    .option('--limit <n>', 'at most this many, newest first (default 50)', limitOption)
    .description('messages matching every filter given, newest first, each with whether and how it can be retried')
    .action(
      async (
        options: Common & {
          account?: string;
          conversation?: string;
          status?: string;
          direction?: string;
          since?: string;
          until?: string;
          limit?: number;
        },
      ) => {
        process.exitCode = await withContext(settings, options, (ctx) => listMessages(ctx, options), formatList);
      },
    );
  common(messages.command('retry'))
    .argument('<id>', 'HubSpot message id, provider message id, or workflow id')
    .option(
      '--reason <text>',
      "recorded with the reset in the workflow history, or in the resent reply's memo",
      'retried by an operator (channel-bridge messages retry)',
    )
    .description(
      'retry a failed message under the same workflow id: a failed run goes on from its failed step; a reply that failed to reach the customer is sent again, without the parts already delivered (docs/OPERATING.md)',
    )
    .action(async (id: string, options: Common & { reason: string }) => {
      process.exitCode = await withContext(
        settings,
        options,
        (ctx) => retryMessage(ctx, id, options.reason),
        formatRetry,
      );
    });
  messages.addCommand(deadLettersCommand());
  return messages;
}
