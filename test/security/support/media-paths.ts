import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { asAccountId } from '../../../packages/bridge/src/domain/ids.js';
import { FileAddressRefusedError, FileTooLargeError } from '../../../packages/bridge/src/hubspot/files-download.js';
import { createHubSpotOutboundClient } from '../../../packages/bridge/src/hubspot/status.js';
import type { AddressPolicy } from '../../../packages/bridge/src/net/address-policy.js';
import { createGenericAdapter } from '../../../packages/bridge/src/providers/generic/index.js';
import { TELEGRAM_LIMITS } from '../../../packages/bridge/src/providers/telegram/limits.js';
import { createTelegramAdapter } from '../../../packages/bridge/src/providers/telegram/index.js';
import { ProviderError, type MediaBlob } from '../../../packages/bridge/src/providers/types.js';
import { MAX_BYTES } from '../../../packages/bridge/src/providers/whatsapp/limits.js';
import { createWhatsAppAdapter } from '../../../packages/bridge/src/providers/whatsapp/index.js';

/**
 * One server playing the three APIs that hand out media URLs: Graph (`GET /v23.0/{media-id}` → `url`),
 * Telegram (`getFile`, then `/file/bot…/path`, which redirects), and HubSpot Files (`signed-url` → `url`).
 * Each download is registered under an id whose URL is whatever the test wants the API to hand out.
 */
export async function startMediaApis() {
  const handedOut = new Map<string, string>();
  let next = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    let match: RegExpExecArray | null;
    if ((match = /^\/v23\.0\/([\w-]+)$/.exec(url.pathname))) {
      return json({
        messaging_product: 'whatsapp',
        url: handedOut.get(match[1]!),
        mime_type: 'image/jpeg',
        id: match[1],
      });
    }
    if ((match = /^\/bot[^/]+\/getFile$/.exec(url.pathname))) {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      return req.on('end', () => {
        const fileId = (JSON.parse(body) as { file_id: string }).file_id;
        json({ ok: true, result: { file_id: fileId, file_unique_id: fileId, file_path: `photos/${fileId}.jpg` } });
      });
    }
    if ((match = /^\/file\/bot[^/]+\/photos\/([\w-]+)\.jpg$/.exec(url.pathname))) {
      return res.writeHead(302, { location: handedOut.get(match[1]!) }).end();
    }
    if ((match = /^\/files\/v3\/files\/([\w-]+)\/signed-url$/.exec(url.pathname))) {
      return json({ url: handedOut.get(match[1]!), name: 'reply', extension: 'bin', type: 'OTHER' });
    }
    // The media host side: a redirect to wherever the test says.
    if (url.pathname === '/redirect') return res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Registers what the API will hand out; returns the id to ask for. */
    handOut(mediaUrl: string): string {
      const id = `m${++next}`;
      handedOut.set(id, mediaUrl);
      return id;
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
export type MediaApis = Awaited<ReturnType<typeof startMediaApis>>;

/** What a download came to, whichever path it took. */
export type Outcome =
  | { readonly kind: 'fetched'; readonly bytes: Buffer }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'too_large'; readonly reason: string; readonly bytesPassed: number }
  | { readonly kind: 'failed'; readonly reason: string };

export interface PathSetup {
  readonly apis: MediaApis;
  readonly policy: AddressPolicy;
  readonly fetch: typeof fetch;
  /** For the paths whose limit is ours to set (generic, HubSpot); the providers' own limits stand otherwise. */
  readonly maxBytes: number;
}

/** One way media enters the bridge, through the production code: an adapter's fetchMedia, or the HubSpot client. */
export interface MediaPath {
  readonly name: string;
  /** The largest body this path lets through with `setup.maxBytes`. */
  limit(maxBytes: number): number;
  download(mediaUrl: string, setup: PathSetup): Promise<Outcome>;
}

/** Reads a streamed blob to the end, counting what passed before any error. */
async function drain(blob: MediaBlob): Promise<Outcome> {
  const chunks: Buffer[] = [];
  let passed = 0;
  try {
    for await (const chunk of blob.body as unknown as AsyncIterable<Uint8Array>) {
      passed += chunk.byteLength;
      chunks.push(Buffer.from(chunk));
    }
    return { kind: 'fetched', bytes: Buffer.concat(chunks) };
  } catch (error) {
    return classify(error, passed);
  }
}

function classify(error: unknown, bytesPassed = 0): Outcome {
  const cause =
    error instanceof ProviderError || error instanceof FileAddressRefusedError || error instanceof FileTooLargeError
      ? error
      : (error as { cause?: unknown })?.cause;
  if (cause instanceof FileAddressRefusedError) return { kind: 'refused', reason: cause.message };
  if (cause instanceof FileTooLargeError) return { kind: 'too_large', reason: cause.message, bytesPassed };
  if (cause instanceof ProviderError) {
    if (cause.options.code === 'forbidden_address') return { kind: 'refused', reason: cause.reason };
    if (
      /too large|too_large|larger than|over .* limit|cannot be carried/i.test(`${cause.options.code} ${cause.reason}`)
    )
      return { kind: 'too_large', reason: cause.reason, bytesPassed };
    return { kind: 'failed', reason: cause.reason };
  }
  return { kind: 'failed', reason: String((error as Error)?.message ?? error) };
}

const settle = async (work: () => Promise<Outcome>): Promise<Outcome> =>
  work().catch((error: unknown) => classify(error));

export const MEDIA_PATHS: readonly MediaPath[] = [
  {
    name: "the generic provider's media URL",
    limit: (maxBytes) => maxBytes,
    download: (mediaUrl, setup) =>
      settle(async () => {
        const adapter = createGenericAdapter(
          { accountId: asAccountId('g'), signingSecret: 'whsec_c2VjcmV0' },
          { ...setup.policy, fetch: setup.fetch, maxInboundMediaBytes: setup.maxBytes },
        );
        return drain(await adapter.fetchMedia({ kind: 'file', ref: mediaUrl, filename: 'f.bin' }));
      }),
  },
  {
    name: 'a WhatsApp media URL from the Graph API',
    limit: () => MAX_BYTES.image,
    download: (mediaUrl, setup) =>
      settle(async () => {
        const adapter = createWhatsAppAdapter(
          {
            accountId: asAccountId('w'),
            phoneNumberId: '1',
            accessToken: 'EAAG-secret-token',
            appSecret: 'a',
            verifyToken: 'v',
            graphBaseUrl: setup.apis.url,
          },
          { fetch: setup.fetch, mediaPolicy: setup.policy },
        );
        return drain(await adapter.fetchMedia({ kind: 'image', ref: setup.apis.handOut(mediaUrl) }));
      }),
  },
  {
    name: 'a Telegram file download (redirected)',
    limit: () => TELEGRAM_LIMITS.downloadBytes,
    download: (mediaUrl, setup) =>
      settle(async () => {
        const adapter = createTelegramAdapter(
          { accountId: asAccountId('t'), botToken: '1:secret-bot-token', secretToken: 's', apiBaseUrl: setup.apis.url },
          { fetch: setup.fetch, mediaPolicy: setup.policy },
        );
        return drain(await adapter.fetchMedia({ kind: 'image', ref: setup.apis.handOut(mediaUrl) }));
      }),
  },
  {
    name: "a rep's attachment from HubSpot's signed URL",
    limit: (maxBytes) => maxBytes,
    download: (mediaUrl, setup) =>
      settle(async () => {
        const client = createHubSpotOutboundClient(
          { baseUrl: setup.apis.url, accessTokenFor: async () => 'hubspot-token', filePolicy: setup.policy },
          setup.fetch,
        );
        const file = await client.downloadFile('1', setup.apis.handOut(mediaUrl), setup.maxBytes);
        return { kind: 'fetched', bytes: file.data };
      }),
  },
];
