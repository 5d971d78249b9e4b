import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createGuardedFetch } from '../../packages/bridge/src/net/guarded-connect.js';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { waitFor } from '../helpers/temporal.js';
import { loopbackTripwire, startInternalService, testDns } from './support/internal-network.js';
import { MEDIA_PATHS, startMediaApis, type MediaApis, type MediaPath, type Outcome } from './support/media-paths.js';

/**
 * Security check 2: no media fetch can be pointed at the bridge's own network. For every path media
 * comes in by (a connector's URL, Graph's media URL, Telegram's file download, HubSpot's signed URL for
 * a rep's file), each address below is refused, given directly or reached by a redirect, and the
 * internal service behind it never sees a request. Nothing here connects beyond loopback: names
 * resolve through a test resolver and a tripwire blocks any other address, should every guard fail.
 */
const FORBIDDEN = (port: number): [string, string][] => [
  ['loopback IPv4', `http://127.0.0.1:${port}/latest/meta-data`],
  ['loopback written as a decimal number', `http://2130706433:${port}/`],
  ['loopback written in hex', `http://0x7f000001:${port}/`],
  ['loopback written in octal', `http://0177.0.0.1:${port}/`],
  ['another loopback address', `http://127.8.9.10:${port}/`],
  ['the unspecified address 0.0.0.0', `http://0.0.0.0:${port}/`],
  ['loopback IPv6', `http://[::1]:${port}/`],
  ['loopback as IPv4-mapped IPv6', `http://[::ffff:127.0.0.1]:${port}/`],
  ['a private 10/8 address', 'http://10.20.30.40/'],
  ['a private 192.168/16 address', 'http://192.168.1.1/'],
  ['the cloud metadata address (link-local)', 'http://169.254.169.254/latest/meta-data/'],
  ['link-local as IPv4-mapped IPv6', 'http://[::ffff:169.254.169.254]/'],
  ['a link-local IPv6 address', 'http://[fe80::1]/'],
  ['a unique-local IPv6 address', 'http://[fd12:3456::7]/'],
  ['a carrier-grade NAT address', 'http://100.64.0.1/'],
  ['localhost, a real name for loopback', `http://localhost:${port}/`],
  ['a name resolving to a private address', 'http://intranet.test/'],
  ['a name resolving to the metadata address', 'http://metadata.test/'],
  ['a name resolving to a unique-local IPv6 address', 'http://v6-intranet.test/'],
  ['a name with one public and one private address', 'http://mixed.test/'],
  ['a name that resolves public, then loopback when connecting (DNS rebinding)', `http://rebind.test:${port}/`],
];

describe(
  'security: media URLs that point at private, loopback or link-local addresses are refused',
  { timeout: 120_000 },
  () => {
    let internal: Awaited<ReturnType<typeof startInternalService>>;
    let apis: MediaApis;
    before(async () => {
      internal = await startInternalService();
      apis = await startMediaApis();
    });
    after(async () => {
      await apis.close();
      await internal.close();
    });

    /** One download with a fresh resolver, the guarded fetch production uses, and the tripwire around it. */
    async function attempt(
      path: MediaPath,
      mediaUrl: string,
      allowPrivateHosts: string[] = ['media.test'],
    ): Promise<{ outcome: Outcome; tripped: string[] }> {
      const dns = testDns();
      const policy = { allowPrivateHosts, lookup: dns.lookup };
      const wire = loopbackTripwire(createGuardedFetch({ ...policy, lookup: dns.connectLookup }), dns.connectableNames);
      const outcome = await path.download(mediaUrl, { apis, policy, fetch: wire.fetch, maxBytes: 1_000_000 });
      return { outcome, tripped: wire.attempts };
    }
    const redirectTo = (target: string) =>
      `http://media.test:${new URL(apis.url).port}/redirect?to=${encodeURIComponent(target)}`;

    for (const path of MEDIA_PATHS) {
      describe(path.name, () => {
        for (const [what, target] of FORBIDDEN(0)) {
          it(`refuses ${what}, directly and by redirect`, async () => {
            const url = target.replace(':0/', `:${internal.port}/`);
            for (const [how, mediaUrl] of [
              ['directly', url],
              ['by redirect', redirectTo(url)],
            ] as const) {
              const before = internal.hits.length;
              const { outcome, tripped } = await attempt(path, mediaUrl);
              assert.deepEqual(tripped, [], `${how}: a request left loopback`);
              assert.equal(outcome.kind, 'refused', `${how}: ${JSON.stringify(outcome)}`);
              assert.match(
                (outcome as { reason: string }).reason,
                /loopback|private-network|link-local|unique-local|carrier-grade|unspecified|only connects to public/,
              );
              if (how === 'by redirect')
                assert.match((outcome as { reason: string }).reason, /reached by redirect|when connecting/);
              assert.equal(internal.hits.length, before, `${how}: the internal service was reached`);
            }
          });
        }

        it('fetches from a private host once BRIDGE_ALLOW_PRIVATE_MEDIA_HOSTS lists it (the sandboxes rely on it)', async () => {
          const before = internal.hits.length;
          const { outcome } = await attempt(path, `http://127.0.0.1:${internal.port}/sandbox-file`, ['127.0.0.1']);
          assert.equal(outcome.kind, 'fetched', JSON.stringify(outcome));
          assert.equal((outcome as { bytes: Buffer }).bytes.toString(), 'internal secret');
          assert.equal(internal.hits.length, before + 1);
        });
      });
    }
  },
);

/** The worker as production wires it (registry defaults, no allow-list): the guard is on and the rep reads why. */
describe(
  'security: the worker refuses a private media URL when no allow-list is configured',
  { timeout: 120_000 },
  () => {
    let bridge: TestBridge;
    let internal: Awaited<ReturnType<typeof startInternalService>>;
    before(async () => {
      internal = await startInternalService();
      bridge = await startTestBridge();
    });
    after(async () => {
      await bridge.stop();
      await internal.close();
    });

    it('publishes the message with a note in place of the file, and the internal service sees nothing', async () => {
      const text = `ssrf probe ${randomUUID()}`;
      const payload = messageCreated({ text });
      const attachment = {
        kind: 'file',
        url: `http://127.0.0.1:${internal.port}/latest/meta-data/iam`,
        contentType: 'text/plain',
        filename: 'creds.txt',
      };
      const request = signedGenericRequest(bridge.signingSecret, {
        ...payload,
        data: { ...payload.data, attachments: [attachment] },
      });
      const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      assert.equal(res.status, 200);
      const published = await waitFor(
        () => [...bridge.sandboxState.messages.values()].find((m) => m.text.includes(text)),
        60_000,
        'the message in HubSpot',
      );
      assert.match(
        published.text,
        /A file "creds\.txt" was sent but could not be carried: refused to fetch http:\/\/127\.0\.0\.1:\d+\/latest\/meta-data\/iam: the host 127\.0\.0\.1 is a loopback address/,
      );
      assert.equal(published.attachments.filter((a) => a.type === 'FILE').length, 0);
      assert.deepEqual(internal.hits, []);
    });
  },
);
