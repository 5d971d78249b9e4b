import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import type { InboundMedia } from '../../packages/bridge/src/domain/messages.js';
import { addressRange, isPublicAddress, refusalFor } from '../../packages/bridge/src/net/address-policy.js';
import {
  createGenericAdapter,
  ForbiddenAddressError,
  InlineMediaNotRefetchableError,
} from '../../packages/bridge/src/providers/generic/index.js';
import { ProviderError } from '../../packages/bridge/src/providers/types.js';
import { listenLocal, type LocalServer } from '../helpers/generic-server.js';

const secret = 'whsec_' + Buffer.from('generic media tests').toString('base64');
const media = (ref: string): InboundMedia => ({ kind: 'image', contentType: 'image/png', filename: 'a.png', ref });
/** Names that "resolve" without DNS: the machine has no network, and the test must not need one. */
const fakeDns = async (host: string) => {
  const table: Record<string, string[]> = {
    'files.example.com': ['93.184.215.14'],
    'internal.example.com': ['10.0.0.7'],
    'mixed.example.com': ['93.184.215.14', '192.168.1.20'],
    'v6-local.example.com': ['fd00::5'],
    localhost: ['127.0.0.1'],
  };
  const addresses = table[host];
  if (!addresses) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
  return addresses.map((address) => ({ address }));
};

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

const refusedWith = (pattern: RegExp) => (error: unknown) =>
  error instanceof ForbiddenAddressError && !error.retryable && pattern.test(error.reason);

describe('generic media: which addresses may be fetched', () => {
  const notPublic: [string, string][] = [
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.0.10', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'linkLocal'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['64:ff9b::a00:1', 'rfc6052'],
  ];
  for (const [address, range] of notPublic) {
    it(`classifies ${address} as ${range}, not public`, () => {
      assert.equal(addressRange(address), range);
      assert.equal(isPublicAddress(address), false);
    });
  }
  it('classifies public IPv4 and IPv6 addresses as public', () => {
    for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      assert.equal(isPublicAddress(address), true, address);
  });
  it('checks every address a host resolves to, and names the one that is refused', async () => {
    assert.equal(await refusalFor(new URL('https://files.example.com/a.png'), { lookup: fakeDns }), undefined);
    assert.match(
      (await refusalFor(new URL('https://mixed.example.com/a.png'), { lookup: fakeDns })) ?? '',
      /mixed\.example\.com is a private-network address \(it resolves to 192\.168\.1\.20\)/,
    );
    assert.match(
      (await refusalFor(new URL('https://nowhere.example.com/a.png'), { lookup: fakeDns })) ?? '',
      /could not be resolved/,
    );
    assert.match(
      (await refusalFor(new URL('ftp://files.example.com/a.png'), { lookup: fakeDns })) ?? '',
      /only http and https/,
    );
  });
  it('lets the allow-list exempt a host or an address', async () => {
    assert.equal(await refusalFor(new URL('http://127.0.0.1:9/x'), { allowPrivateHosts: ['127.0.0.1'] }), undefined);
    assert.equal(
      await refusalFor(new URL('https://internal.example.com/x'), { allowPrivateHosts: ['10.0.0.7'], lookup: fakeDns }),
      undefined,
    );
  });
});

describe('generic media: fetchMedia', () => {
  let server: LocalServer;
  const hits: string[] = [];
  const big = Buffer.alloc(64 * 1024, 7);
  before(async () => {
    server = await listenLocal((req, res) => {
      hits.push(`${req.url} auth=${req.headers.authorization ?? '-'}`);
      const path = req.url ?? '/';
      if (path === '/photo.png') {
        res
          .writeHead(200, { 'content-type': 'image/png', 'content-length': '4' })
          .end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      } else if (path.startsWith('/redirect-to?')) {
        res.writeHead(302, { location: decodeURIComponent(path.slice('/redirect-to?'.length)) }).end();
      } else if (path === '/loop') {
        res.writeHead(307, { location: '/loop' }).end();
      } else if (path === '/declared-big') {
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(big.length) }).end(big);
      } else if (path === '/streamed-big') {
        // No Content-Length: only counting while streaming can catch this one.
        res.writeHead(200, { 'content-type': 'video/mp4' });
        let sent = 0;
        const pump = () => {
          while (sent < big.length) {
            sent += 8192;
            if (!res.write(big.subarray(0, 8192))) return res.once('drain', pump);
          }
          res.end();
        };
        pump();
      } else if (path === '/gone') {
        res.writeHead(410).end();
      } else if (path === '/busy') {
        res.writeHead(503, { 'retry-after': '7' }).end();
      } else if (path === '/slow') {
        setTimeout(() => res.writeHead(200).end('late'), 3000).unref();
      } else {
        res.writeHead(404).end();
      }
    });
  });
  after(() => server.close());

  const adapter = (extra: Partial<Parameters<typeof createGenericAdapter>[1]> = {}, mediaAuthHeader?: string) =>
    createGenericAdapter(
      { accountId: asAccountId('555'), signingSecret: secret, mediaAuthHeader },
      { allowPrivateHosts: ['127.0.0.1'], lookup: fakeDns, ...extra },
    );

  it('streams a file from an allowed host, with its content type and the auth header', async () => {
    const blob = await adapter({}, 'Authorization: Bearer media-token').fetchMedia(media(`${server.url}/photo.png`));
    assert.equal(blob.contentType, 'image/png');
    assert.equal(blob.sizeBytes, 4);
    assert.deepEqual([...(await readAll(blob.body))], [0x89, 0x50, 0x4e, 0x47]);
    assert.ok(hits.includes('/photo.png auth=Bearer media-token'));
  });

  const refusals: [string, string, RegExp][] = [
    ['a private IPv4 address', 'http://10.0.0.1/a.png', /10\.0\.0\.1 is a private-network address/],
    ['loopback outside the allow-list', 'http://127.0.0.2/a.png', /127\.0\.0\.2 is a loopback address/],
    [
      'the cloud metadata address',
      'http://169.254.169.254/latest/meta-data/',
      /169\.254\.169\.254 is a link-local address/,
    ],
    ['0.0.0.0', 'http://0.0.0.0:8080/a.png', /0\.0\.0\.0 is an unspecified address/],
    ['IPv6 loopback', 'http://[::1]:8080/a.png', /::1 is a loopback address/],
    ['an IPv6 unique-local address', 'http://[fd00::1]/a.png', /fd00::1 is a unique-local address/],
    ['an IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/a.png', /is a loopback address/],
    [
      'a name that resolves to a private address',
      'https://internal.example.com/a.png',
      /internal\.example\.com is a private-network address \(it resolves to 10\.0\.0\.7\)/,
    ],
    [
      'a name that resolves to an IPv6 unique-local address',
      'https://v6-local.example.com/a.png',
      /unique-local address \(it resolves to fd00::5\)/,
    ],
    ['a non-http scheme', 'file:///etc/passwd', /only http and https/],
  ];
  for (const [name, url, reason] of refusals) {
    it(`refuses ${name} without connecting, as a non-retryable failure`, async () => {
      let fetched = false;
      const spy: typeof fetch = async (...args) => {
        fetched = true;
        return fetch(...args);
      };
      await assert.rejects(adapter({ fetch: spy }).fetchMedia(media(url)), refusedWith(reason));
      assert.equal(fetched, false);
    });
  }

  it('refuses a redirect from an allowed host to a private one, before following it', async () => {
    const target = encodeURIComponent('http://127.0.0.2:1/secret');
    await assert.rejects(
      adapter().fetchMedia(media(`${server.url}/redirect-to?${target}`)),
      refusedWith(/127\.0\.0\.2 is a loopback address.*\(reached by redirect\)/),
    );
  });

  it('refuses a redirect to the metadata address, and to an IPv6 loopback', async () => {
    for (const to of ['http://169.254.169.254/latest/meta-data/', 'http://[::1]/x', 'http://[::ffff:a9fe:a9fe]/']) {
      await assert.rejects(
        adapter().fetchMedia(media(`${server.url}/redirect-to?${encodeURIComponent(to)}`)),
        refusedWith(/reached by redirect/),
      );
    }
  });

  it('follows a redirect within the allowed hosts, but never sends the auth header to another origin', async () => {
    hits.length = 0;
    const blob = await adapter({}, 'Authorization: Bearer media-token').fetchMedia(
      media(`${server.url}/redirect-to?${encodeURIComponent('/photo.png')}`),
    );
    await readAll(blob.body);
    assert.deepEqual(hits, [
      `/redirect-to?${encodeURIComponent('/photo.png')} auth=Bearer media-token`,
      '/photo.png auth=Bearer media-token',
    ]);
    hits.length = 0;
    const other = `http://localhost:${server.port}/photo.png`;
    const viaOther = await adapter(
      { allowPrivateHosts: ['127.0.0.1', 'localhost'] },
      'Authorization: Bearer media-token',
    ).fetchMedia(media(`${server.url}/redirect-to?${encodeURIComponent(other)}`));
    await readAll(viaOther.body);
    assert.equal(hits[1], '/photo.png auth=-');
  });

  it('stops after five redirects', async () => {
    await assert.rejects(
      adapter().fetchMedia(media(`${server.url}/loop`)),
      (e: unknown) => e instanceof ProviderError && !e.retryable && /redirected more than 5 times/.test(e.reason),
    );
  });

  it('refuses a file whose Content-Length is over the limit before reading it', async () => {
    await assert.rejects(
      adapter({ maxInboundMediaBytes: 10_000 }).fetchMedia(media(`${server.url}/declared-big`)),
      (e: unknown) => e instanceof ProviderError && !e.retryable && /is 65536 bytes; the limit is 10000/.test(e.reason),
    );
  });

  it('stops a download with no Content-Length once it streams past the limit', async () => {
    const blob = await adapter({ maxInboundMediaBytes: 20_000 }).fetchMedia(media(`${server.url}/streamed-big`));
    await assert.rejects(
      readAll(blob.body),
      (e: unknown) =>
        e instanceof ProviderError &&
        !e.retryable &&
        /larger than the limit of 20000 bytes; the download was stopped/.test(e.reason),
    );
  });

  it('passes a file just under the limit', async () => {
    const blob = await adapter({ maxInboundMediaBytes: big.length }).fetchMedia(media(`${server.url}/streamed-big`));
    assert.equal((await readAll(blob.body)).length, big.length);
  });

  it('says inline media cannot be fetched again, with its own error type', async () => {
    await assert.rejects(
      adapter().fetchMedia(media('inline:1')),
      (e: unknown) =>
        e instanceof InlineMediaNotRefetchableError && !e.retryable && /came inline in the webhook body/.test(e.reason),
    );
  });

  it('classifies the media host answers: gone is final, busy is retryable with its Retry-After', async () => {
    await assert.rejects(
      adapter().fetchMedia(media(`${server.url}/gone`)),
      (e: unknown) => e instanceof ProviderError && !e.retryable && /HTTP 410.*no longer available/.test(e.reason),
    );
    await assert.rejects(
      adapter().fetchMedia(media(`${server.url}/busy`)),
      (e: unknown) => e instanceof ProviderError && e.retryable && e.options.retryAfterSeconds === 7,
    );
  });

  it('times out a host that does not answer, as retryable', async () => {
    await assert.rejects(
      adapter({ mediaHeadersTimeoutMs: 300 }).fetchMedia(media(`${server.url}/slow`)),
      (e: unknown) => e instanceof ProviderError && e.retryable && /did not answer .* within 0\.3s/.test(e.reason),
    );
  });

  it('re-checks the address when connecting, so a name that rebinds to loopback after the check is refused', async () => {
    let calls = 0;
    // First answer (the pre-check) public, every later one (the connection) loopback: DNS rebinding.
    const rebinding = async (host: string) =>
      host === 'rebind.example.com' ? [{ address: calls++ === 0 ? '93.184.215.14' : '127.0.0.1' }] : fakeDns(host);
    hits.length = 0;
    const guarded = createGenericAdapter(
      {
        accountId: asAccountId('555'),
        signingSecret: secret,
        callbackUrl: `http://rebind.example.com:${server.port}/hook`,
      },
      { lookup: rebinding },
    );
    await assert.rejects(
      guarded.fetchMedia(media(`http://rebind.example.com:${server.port}/photo.png`)),
      refusedWith(/resolved to 127\.0\.0\.1 when connecting/),
    );
    calls = 0;
    await assert.rejects(
      guarded.send({ chatId: 'c', text: 'hi', attachments: [] }),
      (e: unknown) =>
        e instanceof ProviderError &&
        !e.retryable &&
        /callbackUrl .* is refused: .*resolved to 127\.0\.0\.1 when connecting/.test(e.reason),
    );
    assert.deepEqual(hits, [], 'nothing reached the loopback server');
  });

  it('refuses a media auth header that is not a header line', async () => {
    await assert.rejects(
      adapter({}, 'just-a-token').fetchMedia(media(`${server.url}/photo.png`)),
      (e: unknown) => e instanceof ProviderError && /must look like "Name: value"/.test(e.reason),
    );
  });
});
