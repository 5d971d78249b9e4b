import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createHubSpotSandbox } from '../../packages/sandbox/src/hubspot/app.js';
import {
  createHubSpotSandboxState,
  type HubSpotSandboxState,
  type SandboxOptions,
  type SandboxPortal,
} from '../../packages/sandbox/src/hubspot/state.js';
import { assertResponseMatches, isHubSpotApiPath } from './hubspot-schemas.js';

/**
 * One answer of the sandbox, already checked against the project's HubSpot schemas when it is a HubSpot path.
 * `body` defaults to `any` on purpose: tests read it field by field after the schema has vouched for its shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Answer<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface CallOptions {
  /** JSON body (sent as application/json). */
  readonly json?: unknown;
  /** A ready body (FormData, URLSearchParams, string). */
  readonly body?: FormData | URLSearchParams | string;
  /** Bearer token; default the first portal's static token. `null` sends none. */
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
}

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

/** A sandbox on a loopback port, with a client whose every HubSpot answer is schema-checked. */
export async function startSandbox(options: SandboxOptions = {}) {
  const state = createHubSpotSandboxState(options);
  const server = http.createServer(createHubSpotSandbox(state));
  const url = await listen(server);
  const portal = [...state.portals.values()][0]!;
  const dev = `hapikey=${encodeURIComponent(state.app.developerApiKey)}&appId=${state.app.appId}`;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function call<T = any>(method: string, pathAndQuery: string, options: CallOptions = {}): Promise<Answer<T>> {
    const token = options.token === undefined ? portal.accessToken : options.token;
    const headers: Record<string, string> = {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...options.headers,
    };
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}${pathAndQuery}`, {
      method,
      headers,
      body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
      redirect: 'manual',
    });
    const text = await res.text();
    const body = res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as T) : (text as T);
    const pathname = new URL(pathAndQuery, url).pathname;
    if (
      isHubSpotApiPath(method, pathname) ||
      (res.status >= 400 && !pathname.startsWith('/_sandbox') && res.headers.get('content-type')?.includes('json'))
    ) {
      assertResponseMatches(method, pathname, res.status, res.status === 204 ? undefined : body);
    }
    return { status: res.status, headers: res.headers, body };
  }

  /** Registers a channel with the developer key; `overrides` replace fields of a working default. */
  async function registerChannel(overrides: Record<string, unknown> = {}) {
    const res = await call('POST', `/conversations/v3/custom-channels?${dev}`, {
      token: null,
      json: {
        name: 'Acme Messenger',
        capabilities: {
          threadingModel: 'INTEGRATION_THREAD_ID',
          deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID', 'HS_PHONE_NUMBER'],
          allowOutgoingMessages: true,
          outgoingAttachmentTypes: ['FILE'],
        },
        ...overrides,
      },
    });
    if (res.status !== 201) throw new Error(`channel refused: ${JSON.stringify(res.body)}`);
    return res.body as { id: string; webhookUrl?: string };
  }

  async function createAccount(channelId: string, overrides: Record<string, unknown> = {}, token?: string) {
    const res = await call('POST', `/conversations/v3/custom-channels/${channelId}/channel-accounts`, {
      token,
      json: {
        inboxId: portal.inboxId,
        name: 'Acme Support',
        authorized: true,
        deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `bot-${randomUUID()}` },
        ...overrides,
      },
    });
    if (res.status !== 201) throw new Error(`account refused: ${JSON.stringify(res.body)}`);
    return res.body as { id: string; deliveryIdentifier: { type: string; value: string } };
  }

  /** A customer's message, published the way the bridge publishes it. */
  const incoming = (channelAccountId: string, overrides: Record<string, unknown> = {}) => ({
    text: 'Hi, where is order 1042?',
    messageDirection: 'INCOMING',
    channelAccountId,
    senders: [{ name: 'Jane Doe', deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: '+15551234567' } }],
    recipients: [
      { name: 'Acme Support', deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'acme-bot' } },
    ],
    timestamp: new Date().toISOString(),
    integrationThreadId: 'conv-1',
    integrationIdempotencyId: `inbound:${randomUUID()}`,
    attachments: [],
    ...overrides,
  });

  const publish = (channelId: string, egg: unknown, token?: string) =>
    call('POST', `/conversations/v3/custom-channels/${channelId}/messages`, { json: egg, token });

  return {
    state,
    url,
    portal: portal as SandboxPortal,
    dev,
    call,
    registerChannel,
    createAccount,
    incoming,
    publish,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export interface ReceivedWebhook {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
}

/**
 * A real HTTP endpoint for the sandbox's webhooks: records each request and answers the next queued status (default
 * 200).
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const statuses: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
      });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  const base = await listen(server);
  return {
    url: `${base}/hubspot/webhook`,
    received,
    /** The next answers, in order, before falling back to 200. */
    answerNext: (...codes: number[]) => statuses.push(...codes),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type HubSpotState = HubSpotSandboxState;

/** Polls until `probe` returns a value other than undefined; bounded so a broken test fails instead of hanging. */
export async function eventually<T>(probe: () => T | undefined, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
