import { Option, type Command } from 'commander';

/** Thrown for an answer other than the expected one; `exitCode` follows `channel-bridge messages`. */
export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

export interface ApiOptions {
  readonly apiUrl: string;
  readonly adminToken?: string;
  readonly json?: boolean;
}

/**
 * Exit codes: 2 bad input or token, 3 not found or still unusable, 4 the api unreachable or unable, 1 anything else.
 */
const exitCodeOf = (status: number) =>
  status === 400 || status === 401 ? 2 : status === 404 || status === 422 ? 3 : status >= 500 ? 4 : 1;

/** One call to the running api's admin API (docs/OPERATING.md § The admin API), with the admin token. */
export async function callAdminApi(options: ApiOptions, method: string, path: string, what: string): Promise<unknown> {
  if (!options.adminToken)
    throw new AdminApiError(`${what} are read through the admin API: set BRIDGE_ADMIN_TOKEN or pass --admin-token`, 2);
  let res: Response;
  try {
    res = await fetch(`${options.apiUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${options.adminToken}` },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new AdminApiError(
      `the api at ${options.apiUrl} is unreachable (${error instanceof Error ? error.message : String(error)}): set --api-url`,
      4,
    );
  }
  const body = res.status === 204 ? undefined : ((await res.json().catch(() => undefined)) as unknown);
  if (!res.ok)
    throw new AdminApiError(
      (body as { error?: string } | undefined)?.error ?? `the api answered ${res.status}`,
      exitCodeOf(res.status),
    );
  return body;
}

/** Runs an admin API action and prints its value (text or `--json`); returns the exit code. */
export async function runAdminCall(
  prefix: string,
  options: ApiOptions,
  action: () => Promise<unknown>,
  print: (value: never) => string,
): Promise<number> {
  try {
    const value = await action();
    process.stdout.write(`${options.json ? JSON.stringify(value ?? {}, null, 2) : print(value as never)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${prefix}: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof AdminApiError ? error.exitCode : 1;
  }
}

/** The options every admin API command takes. */
export function adminApiOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--api-url <url>', "the bridge api's base URL")
        .env('BRIDGE_PUBLIC_URL')
        .default('http://127.0.0.1:3000'),
    )
    .addOption(new Option('--admin-token <token>', "the bridge's admin token").env('BRIDGE_ADMIN_TOKEN'))
    .option('--json', 'print JSON instead of text');
}
