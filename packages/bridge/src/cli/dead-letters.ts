import { Command, InvalidArgumentError } from 'commander';
import { adminApiOptions, callAdminApi, runAdminCall, type ApiOptions } from './admin-api.js';

/**
 * `channel-bridge messages dead-letters list|show|replay|discard`: the HubSpot events the bridge could not use, through
 * the running api's admin API (docs/OPERATING.md § Dead letters). A replay must run inside the api: it starts workflows
 * and hands account events on exactly as a webhook would.
 */

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
    : letters
        .map(
          (l) =>
            `${l.id}  ${l.receivedAt}  ${l.type}  event ${l.eventId ?? '-'}  ${l.bytes} B  ${l.replayAttempts} replays\n  ${l.reason}`,
        )
        .join('\n');

function limitOption(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new InvalidArgumentError('limit must be a whole number from 1 to 1000');
  return limit;
}

const run = (options: ApiOptions, action: () => Promise<unknown>, print: (value: never) => string) =>
  runAdminCall('channel-bridge messages dead-letters', options, action, print);
const call = (options: ApiOptions, method: string, path: string) => callAdminApi(options, method, path, 'dead letters');
const common = adminApiOptions;

export function deadLettersCommand(): Command {
  const letters = new Command('dead-letters').description(
    'HubSpot events the bridge could not use, kept for a replay (through the admin API)',
  );
  common(letters.command('list'))
    .option('--limit <n>', 'at most this many, newest first (default 50)', limitOption)
    .description('the kept events, newest first, without their bodies')
    .action(async (options: ApiOptions & { limit?: number }) => {
      const query = options.limit ? `?limit=${options.limit}` : '';
      process.exitCode = await run(
        options,
        async () =>
          ((await call(options, 'GET', `/admin/dead-letters${query}`)) as { deadLetters: Summary[] }).deadLetters,
        formatList,
      );
    });
  common(letters.command('show').argument('<id>', "the letter's id, from the list"))
    .description('one letter with its event (customer data: ids, message text)')
    .action(async (id: string, options: ApiOptions) => {
      process.exitCode = await run(
        options,
        () => call(options, 'GET', `/admin/dead-letters/${encodeURIComponent(id)}`),
        (letter: unknown) => JSON.stringify(letter, null, 2),
      );
    });
  common(letters.command('replay').argument('<id>', "the letter's id, from the list"))
    .description(
      "feed the event through the webhook's handling again; on success the letter is removed, else exit 3 with the reason",
    )
    .action(async (id: string, options: ApiOptions) => {
      const print = (r: { outcome: { kind: string; workflowId?: string; duplicate?: boolean; type?: string } }) =>
        `replayed ${id}: ${r.outcome.kind}${r.outcome.workflowId ? ` ${r.outcome.workflowId}${r.outcome.duplicate ? ' (already started)' : ''}` : ` ${r.outcome.type ?? ''}`}; the letter is removed`;
      process.exitCode = await run(
        options,
        () => call(options, 'POST', `/admin/dead-letters/${encodeURIComponent(id)}/replay`),
        print,
      );
    });
  common(letters.command('discard').argument('<id>', "the letter's id, from the list"))
    .description('drop a letter without replaying it')
    .action(async (id: string, options: ApiOptions) => {
      process.exitCode = await run(
        options,
        () => call(options, 'DELETE', `/admin/dead-letters/${encodeURIComponent(id)}`),
        () => `discarded ${id}`,
      );
    });
  return letters;
}
