import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { createWhatsAppAdapter } from '../../packages/bridge/src/providers/whatsapp/index.js';
import type { InboundEvent, VerifyResult } from '../../packages/bridge/src/providers/types.js';
import { createWhatsAppSandbox } from '../../packages/sandbox/src/whatsapp/app.js';

export const SECRETS = {
  accessToken: 'EAAG-sandbox-token',
  appSecret: 'sandbox-app-secret',
  verifyToken: 'sandbox-verify-token',
};
export const PHONE_NUMBER_ID = '106540352242922';
export const CUSTOMER = '447700900123';

/** One webhook as the bridge's side received it. */
export interface Received {
  readonly raw: string;
  readonly body: unknown;
  readonly verified: VerifyResult;
  readonly events: InboundEvent[];
}

function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

/**
 * The emulator and a receiver that plays the bridge's webhook endpoint with the real adapter, both on
 * loopback HTTP. `respond` lets a test make the receiver fail.
 */
export async function startWhatsAppWorld(
  options: { statusDelayMs?: number; retry?: { attempts: number; baseDelayMs: number }; verifyToken?: string } = {},
) {
  const received: Received[] = [];
  let respond = (): number => 200;
  const receiverAdapter = createWhatsAppAdapter(
    { accountId: asAccountId('acct-wa'), phoneNumberId: PHONE_NUMBER_ID, ...SECRETS },
    { fetch },
  );
  const receiverApp = express();
  receiverApp.get('/webhook', (req, res) => {
    const result = receiverAdapter.handshake(req.query as Record<string, unknown>);
    if (result.ok) res.type('text/plain').send(result.body);
    else res.status(403).send(result.reason);
  });
  receiverApp.post('/webhook', express.raw({ type: '*/*', limit: '1mb' }), (req, res) => {
    const webhook = { headers: req.headers, body: req.body as Buffer };
    const verified = receiverAdapter.verify(webhook);
    const raw = webhook.body.toString('utf8');
    received.push({
      raw,
      body: JSON.parse(raw),
      verified,
      events: verified.ok ? receiverAdapter.normalise(webhook) : [],
    });
    res.sendStatus(respond());
  });
  const receiver = await listen(receiverApp);

  const sandboxApp = createWhatsAppSandbox({
    ...SECRETS,
    verifyToken: options.verifyToken ?? SECRETS.verifyToken,
    phoneNumberId: PHONE_NUMBER_ID,
    webhookUrl: `${receiver.url}/webhook`,
    statusDelayMs: options.statusDelayMs ?? 60,
    webhookRetry: options.retry ?? { attempts: 4, baseDelayMs: 60 },
  });
  const sandbox = await listen(sandboxApp);
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.url}/_sandbox/whatsapp${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // Control answers are loosely typed on purpose: each test reads the few fields it asserts.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Graph API's JSON, read loosely by the tests
    return { status: res.status, body: (await res.json()) as any };
  };

  return {
    sandboxUrl: sandbox.url,
    receiverUrl: receiver.url,
    sandboxApp,
    received,
    setRespond(fn: () => number) {
      respond = fn;
    },
    control,
    /** The customer writes, through the control API. */
    customer: async (body: Record<string, unknown>) => {
      const res = await control('POST', '/customer/messages', { from: CUSTOMER, name: 'Jane Customer', ...body });
      if (res.status !== 201) throw new Error(`customer message refused: ${JSON.stringify(res.body)}`);
      return res.body as { wamid: string; delivery: number };
    },
    adapter: (
      fetchImpl: typeof fetch = fetch,
      overrides: Partial<typeof SECRETS> = {},
      settings: { requestTimeoutMs?: number } = {},
    ) =>
      createWhatsAppAdapter(
        {
          accountId: asAccountId('acct-wa'),
          phoneNumberId: PHONE_NUMBER_ID,
          ...SECRETS,
          ...overrides,
          ...settings,
          graphBaseUrl: sandbox.url,
        },
        { fetch: fetchImpl },
      ),
    async close() {
      sandboxApp.stopTimers();
      await new Promise<void>((r) => sandbox.server.close(() => r()));
      await new Promise<void>((r) => receiver.server.close(() => r()));
    },
  };
}

export type WhatsAppWorld = Awaited<ReturnType<typeof startWhatsAppWorld>>;

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Receipt events the receiver got for one wamid, in arrival order. */
export function receiptsFor(world: WhatsAppWorld, wamid: string) {
  return world.received
    .flatMap((r) => r.events)
    .filter(
      (e): e is Extract<InboundEvent, { kind: 'receipt' }> => e.kind === 'receipt' && e.providerMessageId === wamid,
    );
}

/** The `statuses[]` entries of one webhook body. */
export function statusEntries(body: unknown): { id: string; status: string }[] {
  const envelope = body as { entry: { changes: { value: { statuses?: { id: string; status: string }[] } }[] }[] };
  return envelope.entry.flatMap((e) => e.changes.flatMap((c) => c.value.statuses ?? []));
}

/** Raw status strings pushed for one wamid, in arrival order. */
export function rawStatusesFor(world: WhatsAppWorld, wamid: string): string[] {
  return world.received.flatMap((r) =>
    statusEntries(r.body)
      .filter((s) => s.id === wamid)
      .map((s) => s.status),
  );
}
