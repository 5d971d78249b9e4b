import {
  createGenericSandbox,
  type GenericSandbox,
  type GenericSandboxOptions,
} from '../../packages/sandbox/src/generic/app.js';
import { listenLocal, type LocalServer } from './generic-server.js';

export const GENERIC_SECRET = 'whsec_' + Buffer.from('generic emulator test secret, 32b').toString('base64');

/** The generic emulator on 127.0.0.1, with retries fast enough for tests. */
export async function startGenericEmulator(options: Partial<GenericSandboxOptions> = {}): Promise<
  LocalServer & {
    app: GenericSandbox;
    callbackUrl: string;
    control: (path: string, body?: unknown, method?: string) => Promise<Response>;
  }
> {
  const app = createGenericSandbox({
    bridgeUrl: 'http://127.0.0.1:9/unset',
    signingSecret: GENERIC_SECRET,
    retry: { baseDelayMs: 20, maxDelayMs: 2_000, maxAttempts: 4 },
    ...options,
  });
  const server = await listenLocal(app);
  const control = (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') =>
    fetch(`${server.url}/_sandbox/generic${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { ...server, app, callbackUrl: `${server.url}/connector/callback`, control };
}
