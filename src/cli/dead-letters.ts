import { Command, InvalidArgumentError, Option } from 'commander';

/**
 * `channel-bridge messages dead-letters list|show|replay|discard`: the HubSpot events the bridge could not use, through
 * the running api's admin API (docs/OPERATING.md § Dead letters). A replay must run inside the api: it starts workflows
 * and hands account events on exactly as a webhook would.
 */

/** Thrown for an answer other than the expected one; `exitCode` follows `channel-bridge messages`. */
export class DeadLetterCliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'DeadLetterCliError';
  }
}

interface ApiOptions {
  readonly apiUrl: string;
  readonly adminToken?: string;
  readonly json?: boolean;
}

/** Exit codes: 2 bad input or token, 3 no such letter or still unusable, 4 the api unreachable or unable, 1 anything else. */
const exitCodeOf = (status: number) => (status === 400 || status === 401 ? 2 : status === 404 || status === 422 ? 3 : status >= 500 ? 4 : 1);

async function call(options: ApiOptions, method: string, path: string): Promise<unknown> {
  if (!options.adminToken) throw new DeadLetterCliError('dead letters are read through the admin API: set BRIDGE_ADMIN_TOKEN or pass --admin-token', 2);
  let res: Response;
  try {
    res = await fetch(`${options.apiUrl.replace(/\/$/, '')}${path}`, { method, headers: { authorization: `Bearer ${options.adminToken}` }, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new DeadLetterCliError(`the api at ${options.apiUrl} is unreachable (${error instanceof Error ? error.message : String(error)}): set --api-url`, 4);
  }
  const body = res.status === 204 ? undefined : ((await res.json().catch(() => undefined)) as unknown);
  if (!res.ok) throw new DeadLetterCliError((body as { error?: string } | undefined)?.error ?? `the api answered ${res.status}`, exitCodeOf(res.status));
  return body;
}

interface Summary {
  readonly id: string;
  readonly type: string;
  readonly eventId?: string;
  readonly reason: string;
  readonly receivedAt: string;
  readonly bytes: number;
  readonly replayAttempts: number;
}

const formatList = (letters: readonly Summary[]) =>
  letters.length === 0
    ? 'no dead letters'
    : letters.map((l) => `${l.id}  ${l.receivedAt}  ${l.type}  event ${l.eventId ?? '-'}  ${l.bytes} B  ${l.replayAttempts} replays\n  ${l.reason}`).join('\n');

function limitOption(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InvalidArgumentError('limit must be a whole number from 1 to 1000');
  return limit;
}

async function run(options: ApiOptions, action: () => Promise<unknown>, print: (value: never) => string): Promise<number> {
  try {
    const value = await action();
    process.stdout.write(`${options.json ? JSON.stringify(value ?? {}, null, 2) : print(value as never)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`channel-bridge messages dead-letters: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof DeadLetterCliError ? error.exitCode : 1;
  }
}

function common(command: Command): Command {
  return command
    .addOption(new Option('--api-url <url>', "the bridge api's base URL").env('BRIDGE_PUBLIC_URL').default('http://127.0.0.1:3000'))
    .addOption(new Option('--admin-token <token>', "the bridge's admin token").env('BRIDGE_ADMIN_TOKEN'))
    .option('--json', 'print JSON instead of text');
}

export function deadLettersCommand(): Command {
  const letters = new Command('dead-letters').description('HubSpot events the bridge could not use, kept for a replay (through the admin API)');
  common(letters.command('list'))
    .option('--limit <n>', 'at most this many, newest first (default 50)', limitOption)
    .description('the kept events, newest first, without their bodies')
    .action(async (options: ApiOptions & { limit?: number }) => {
      const query = options.limit ? `?limit=${options.limit}` : '';
      process.exitCode = await run(options, async () => ((await call(options, 'GET', `/admin/dead-letters${query}`)) as { deadLetters: Summary[] }).deadLetters, formatList);
    });
  common(letters.command('show').argument('<id>', "the letter's id, from the list"))
    .description('one letter with its event (customer data: ids, message text)')
    .action(async (id: string, options: ApiOptions) => {
      process.exitCode = await run(options, () => call(options, 'GET', `/admin/dead-letters/${encodeURIComponent(id)}`), (letter: unknown) => JSON.stringify(letter, null, 2));
    });
  common(letters.command('replay').argument('<id>', "the letter's id, from the list"))
    .description("feed the event through the webhook's handling again; on success the letter is removed, else exit 3 with the reason")
    .action(async (id: string, options: ApiOptions) => {
      const print = (r: { outcome: { kind: string; workflowId?: string; duplicate?: boolean; type?: string } }) =>
        `replayed ${id}: ${r.outcome.kind}${r.outcome.workflowId ? ` ${r.outcome.workflowId}${r.outcome.duplicate ? ' (already started)' : ''}` : ` ${r.outcome.type ?? ''}`}; the letter is removed`;
      process.exitCode = await run(options, () => call(options, 'POST', `/admin/dead-letters/${encodeURIComponent(id)}/replay`), print);
    });
  common(letters.command('discard').argument('<id>', "the letter's id, from the list"))
    .description('drop a letter without replaying it')
    .action(async (id: string, options: ApiOptions) => {
      process.exitCode = await run(options, () => call(options, 'DELETE', `/admin/dead-letters/${encodeURIComponent(id)}`), () => `discarded ${id}`);
    });
  return letters;
}
