import http from 'node:http';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { createTwilioAdapter } from '../../packages/bridge/src/providers/twilio/index.js';
import type { InboundEvent, RawWebhook } from '../../packages/bridge/src/providers/types.js';
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_PHONE_NUMBER,
  startTwilioSandbox,
  type TwilioSandboxOptions,
} from '../../packages/sandbox/src/twilio/app.js';

/**
 * The Twilio emulator, a stand-in webhook route that verifies and normalises with the real adapter, and that adapter.
 */
export async function startTwilioWorld(options: TwilioSandboxOptions = {}) {
  const received: { webhook: RawWebhook; verified: boolean; events: InboundEvent[] }[] = [];
  // The route needs the adapter, and the adapter the emulator's URL: it is filled in once both are listening.
  const current: { adapter?: ReturnType<typeof createTwilioAdapter> } = {};
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const webhook = { headers: req.headers, body: Buffer.concat(chunks) };
      const verified = current.adapter!.verify(webhook).ok;
      received.push({ webhook, verified, events: verified ? current.adapter!.normalise(webhook) : [] });
      res.writeHead(verified ? 200 : 401, { 'content-type': 'text/xml' }).end('<Response/>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks/twilio/acct-1`;
  const sandbox = await startTwilioSandbox({ statusDelayMs: 5, webhookUrl, ...options });
  const adapter = (current.adapter = createTwilioAdapter(
    {
      accountId: asAccountId('acct-1'),
      accountSid: DEFAULT_ACCOUNT_SID,
      authToken: DEFAULT_AUTH_TOKEN,
      sender: options.messagingServiceSid ?? DEFAULT_PHONE_NUMBER,
      webhookUrl,
      apiBaseUrl: sandbox.url,
    },
    { fetch },
  ));
  return {
    sandbox,
    adapter,
    received,
    webhookUrl,
    events: () => received.flatMap((r) => r.events),
    async customerTexts(from: string, body: string, media: { contentType: string; data: Buffer }[] = []) {
      const response = await fetch(`${sandbox.url}/_sandbox/twilio/customer/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          from,
          body,
          media: media.map((m) => ({ contentType: m.contentType, dataBase64: m.data.toString('base64') })),
        }),
      });
      return {
        status: response.status,
        body: (await response.json()) as { sid?: string; webhook?: string; error?: string },
      };
    },
    async close() {
      await sandbox.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
export type TwilioWorld = Awaited<ReturnType<typeof startTwilioWorld>>;

export async function waitFor<T>(what: string, find: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
