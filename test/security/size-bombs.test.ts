import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createGuardedFetch } from '../../packages/bridge/src/net/guarded-connect.js';
import { startConnectWorld, type ConnectWorld } from '../helpers/connect.js';
import { testDns } from './support/internal-network.js';
import { startMediaHost } from './support/media-host.js';
import { startMediaWorld, type MediaWorld } from './support/media-world.js';
import { MEDIA_PATHS, startMediaApis, type MediaApis, type MediaPath, type Outcome } from './support/media-paths.js';

const MAX_BYTES = 1_000_000;

/**
 * Security check 3 (media): no download can make the bridge hold more than its limit. For every path
 * media enters by, bodies over the limit are refused whether they declare their size, hide it
 * (chunked), understate it, or arrive gzip-encoded and inflate past it; and archives travel as the
 * bytes they are. `bytesPassed` is what the bridge let through before stopping.
 */
describe('security: media size and decompression bombs are refused', { timeout: 180_000 }, () => {
  let host: Awaited<ReturnType<typeof startMediaHost>>;
  let apis: MediaApis;
  before(async () => {
    host = await startMediaHost();
    apis = await startMediaApis();
  });
  after(async () => {
    await apis.close();
    await host.close();
  });

  const download = (path: MediaPath, mediaUrl: string): Promise<Outcome> => {
    const dns = testDns();
    const policy = { allowPrivateHosts: ['media.test'], lookup: dns.lookup };
    return path.download(mediaUrl, {
      apis,
      policy,
      fetch: createGuardedFetch({ ...policy, lookup: dns.connectLookup }),
      maxBytes: MAX_BYTES,
    });
  };
  const measured: string[] = [];
  after(() =>
    console.log(`# size bombs, bytes let through before refusal:\n${measured.map((m) => `#   ${m}`).join('\n')}`),
  );

  for (const path of MEDIA_PATHS) {
    describe(path.name, () => {
      const limit = path.limit(MAX_BYTES);

      it('refuses a gzip-encoded body whose small Content-Length inflates to 4x the limit, stopping at the limit', async () => {
        const url = host.url('gzip', limit * 4);
        const outcome = await download(path, url);
        assert.equal(outcome.kind, 'too_large', JSON.stringify(outcome));
        const passed = (outcome as { bytesPassed: number }).bytesPassed;
        assert.ok(passed <= limit, `${passed} bytes passed the ${limit}-byte limit`);
        measured.push(
          `${path.name}, gzip ${host.written[new URL(url).pathname]} bytes on the wire for ${limit * 4} inflated: ${passed} passed (limit ${limit})`,
        );
      });

      it('refuses a body whose Content-Length is over the limit, before reading it', async () => {
        const declared = limit + 64 * 1024 * 1024;
        const url = host.url('declared', declared);
        const outcome = await download(path, url);
        assert.equal(outcome.kind, 'too_large', JSON.stringify(outcome));
        assert.equal((outcome as { bytesPassed: number }).bytesPassed, 0);
        // The host stops writing once the bridge hangs up; socket buffers may hold a few MB, never the whole body.
        await new Promise((resolve) => setTimeout(resolve, 100));
        const sent = host.written[new URL(url).pathname]!;
        assert.ok(sent < declared / 4, `the host sent ${sent} of ${declared} bytes`);
        measured.push(
          `${path.name}, declared ${declared}: 0 passed, ${sent} written by the host before the bridge hung up`,
        );
      });

      it('refuses a body with no Content-Length past the limit, stopping at the limit', async () => {
        const url = host.url('chunked', limit + 2_000_000);
        const outcome = await download(path, url);
        assert.equal(outcome.kind, 'too_large', JSON.stringify(outcome));
        const passed = (outcome as { bytesPassed: number }).bytesPassed;
        assert.ok(passed <= limit, `${passed} bytes passed the ${limit}-byte limit`);
        measured.push(`${path.name}, chunked ${limit + 2_000_000}: ${passed} passed`);
      });

      it('reads no further than a Content-Length that understates the body', async () => {
        const outcome = await download(path, host.url('understated', limit * 2));
        // HTTP framing ends the body at the declared 1000 bytes; whatever follows is never read as the file.
        if (outcome.kind === 'fetched') assert.equal(outcome.bytes.length, 1000);
        else assert.notEqual(outcome.kind, 'refused', JSON.stringify(outcome));
      });

      it('carries a .gz and a .zip file as the bytes they are, not inflated', async () => {
        const gz = gzipSync(Buffer.from('a'.repeat(50_000)));
        const zip = Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(200, 7)]);
        for (const [name, bytes, type] of [
          ['logs.gz', gz, 'application/gzip'],
          ['photos.zip', zip, 'application/zip'],
        ] as const) {
          const outcome = await download(path, host.serveFile(`${MEDIA_PATHS.indexOf(path)}-${name}`, bytes, type));
          assert.equal(outcome.kind, 'fetched', JSON.stringify(outcome));
          assert.ok((outcome as { bytes: Buffer }).bytes.equals(bytes), `${name} changed on the way`);
        }
      });
    });
  }
});

/**
 * Security check 3 (requests): the api never inflates a body, so a compressed request is refused before anything reads
 * it.
 */
describe('security: a compressed request body is refused with 415, never inflated', { timeout: 120_000 }, () => {
  let world: ConnectWorld;
  before(async () => {
    world = await startConnectWorld();
  });
  after(() => world.stop());

  // 64 MiB of zeros in about 64 KiB: what a decompression bomb looks like.
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
  const routes: [string, string][] = [
    ['a provider webhook', '/webhooks/generic/123'],
    ['a Telegram webhook', '/webhooks/telegram/123'],
    ['a WhatsApp webhook', '/webhooks/whatsapp/123'],
    ['the HubSpot webhook', '/webhooks/hubspot'],
    ['the connection form', '/connect'],
  ];
  for (const [what, path] of routes) {
    it(`refuses ${what} sent with Content-Encoding gzip, deflate or br`, async () => {
      for (const encoding of ['gzip', 'deflate', 'br']) {
        const type = path === '/connect' ? 'application/x-www-form-urlencoded' : 'application/json';
        const res = await fetch(`${world.apiUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': type, 'content-encoding': encoding },
          body: bomb,
        });
        assert.equal(res.status, 415, `${encoding}: ${res.status}`);
        assert.match(
          ((await res.json()) as { error: string }).error,
          new RegExp(`content-encoding "${encoding}" is not accepted: send the body uncompressed`),
        );
      }
    });
  }
});

/** An archive is a file like any other: carried as its bytes both ways, as the ledgers show. */
describe('security: archives travel as bytes, end to end', { timeout: 180_000 }, () => {
  let world: MediaWorld;
  before(async () => {
    world = await startMediaWorld();
  });
  after(() => world.stop());

  const gz = gzipSync(Buffer.from('line\n'.repeat(100_000)));

  it("stores a customer's .gz in HubSpot Files as the very bytes sent", async () => {
    const url = world.serve('logs.gz', gz, 'application/gzip');
    const { files } = await world.customerSends({
      kind: 'file',
      url,
      contentType: 'application/gzip',
      filename: 'logs.gz',
    });
    assert.equal(files.length, 1);
    assert.ok(files[0]!.bytes.equals(gz), `HubSpot stored ${files[0]!.bytes.length} bytes, not the ${gz.length} sent`);
  });

  it("delivers a rep's .gz to the connector as the very bytes attached", async () => {
    const { statuses, delivered } = await world.repSends('report.gz', 'application/gzip', gz);
    assert.deepEqual(
      statuses.map((s) => s.statusType),
      ['SENT'],
    );
    assert.equal(delivered.length, 1);
    assert.ok(delivered[0]!.bytes.equals(gz));
  });
});
