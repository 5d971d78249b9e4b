import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startConnectWorld, type ConnectWorld } from '../helpers/connect.js';
import { randomBytes } from './support/bodies.js';
import { headerValue, WRONG_CONTENT_TYPES } from './support/headers.js';
import { closeConnections, send, type FuzzRequest, type FuzzResponse, type HeaderLine } from './support/http.js';
import { heapMeter } from './support/memory.js';
import { guardProcess } from './support/process-guard.js';
import { fuzzOptions, fuzzTimeout } from './support/runs.js';
import { Tally } from './support/tally.js';

const guard = guardProcess();
const RUNS = 120;

/** Text a page must never echo raw: the markup an attacker would put in a query or a form field. */
const MARKUP = '<script>alert(1)</script>"\'><img src=x onerror=alert(1)>';
const fieldValue = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      MARKUP,
      'javascript:alert(1)',
      '123',
      '123456:AAH-fuzz_token',
      'https://connector.example.com/replies',
      'x'.repeat(3000),
    ),
  },
);
const FIELDS = [
  'accountToken',
  'portalId',
  'redirectUrl',
  'provider',
  'botToken',
  'phoneNumberId',
  'accessToken',
  'appSecret',
  'accountName',
  'callbackUrl',
  '__proto__',
  'constructor',
] as const;

/**
 * The install callback and the connection page parse input too: queries and form posts from a browser, or from
 * whoever forges them. Every case gets a 4xx page (or the form itself, for a well-formed GET /connect) and never a
 * 5xx; nothing posted is echoed unescaped; nothing starts a workflow.
 */
describe('fuzz: /oauth/callback and /connect', { timeout: fuzzTimeout() }, () => {
  let world: ConnectWorld;
  const tally = new Tally();
  const memory = heapMeter();
  before(async () => {
    world = await startConnectWorld();
  });
  after(async () => {
    tally.print('/oauth and /connect');
    memory.print();
    closeConnections();
    await world?.stop();
  });

  const portalIds = () => fc.oneof(fc.constant(world.portal.portalId), fc.constant(world.portal.portalId), fieldValue);
  /** Sends one case; the answer is a page with a status below 500, and echoes no markup raw. */
  async function page(endpoint: string, request: FuzzRequest, sent: readonly string[]): Promise<FuzzResponse> {
    const res = await send(world.apiUrl, request);
    // The world keeps every log line and the HubSpot sandbox every call: harness memory, not the api's.
    world.logs.length = 0;
    world.hubspotState.ledger.length = 0;
    tally.record(endpoint, res.status);
    const text = res.body.toString('utf8');
    const what = `${request.method} ${request.path.slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`;
    assert.ok(res.status >= 200 && res.status < 500, `5xx or unexpected status: ${what}`);
    if (res.contentType.startsWith('text/html')) {
      for (const value of sent)
        if (/[<>"]/.test(value) && value.length > 3)
          assert.ok(!text.includes(value), `the page echoes ${JSON.stringify(value)} unescaped: ${what}`);
    }
    return res;
  }

  it('GET /oauth/callback with any query: no state this bridge signed, so a 400 before HubSpot is called', async () => {
    const key = fc.constantFrom('code', 'state', 'error', 'error_description', 'state[]', 'code[x]', 'x');
    const value = fc.oneof(
      fieldValue,
      fc.constantFrom('forged.signature', 'a.b.c', '.', 'nonce.', `${'n'.repeat(24)}.${'s'.repeat(43)}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 6 }), async (pairs) => {
        const query = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const res = await page(
          'GET /oauth/callback',
          { method: 'GET', path: `/oauth/callback?${query}`, headers: [] },
          pairs.map(([, v]) => v),
        );
        assert.equal(res.status, 400);
      }),
      fuzzOptions(RUNS),
    );
    memory.start();
  });

  it('GET /oauth/callback with a state the bridge issued and any code: HubSpot refuses the code, the page says so', async () => {
    await fc.assert(
      fc.asyncProperty(fieldValue, async (code) => {
        const start = await fetch(`${world.apiUrl}/oauth/install`, { redirect: 'manual' });
        assert.equal(start.status, 302);
        const location = start.headers.get('location')!;
        const state = new URL(location).searchParams.get('state')!;
        const res = await page(
          'GET /oauth/callback (issued state)',
          {
            method: 'GET',
            path: `/oauth/callback?state=${encodeURIComponent(state)}&code=${encodeURIComponent(code)}`,
            headers: [],
          },
          [code],
        );
        assert.equal(res.status, 400);
      }),
      fuzzOptions(Math.ceil(RUNS / 4)),
    );
  });

  it('GET /connect with any query: the form for a well-formed link, a 4xx page otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ accountToken: fieldValue, portalId: portalIds(), redirectUrl: fieldValue }, { requiredKeys: [] }),
        async (q) => {
          const query = new URLSearchParams(q as Record<string, string>).toString();
          await page(
            'GET /connect',
            { method: 'GET', path: `/connect?${query}`, headers: [] },
            Object.values(q) as string[],
          );
        },
      ),
      fuzzOptions(RUNS),
    );
  });

  it('POST /connect with any form: refused with a 4xx page, nothing connected', async () => {
    const anyForm = fc.record(
      Object.fromEntries(
        FIELDS.map((f) => [
          f,
          f === 'portalId'
            ? portalIds()
            : f === 'provider'
              ? fc.oneof(fc.constantFrom('telegram', 'whatsapp', 'generic'), fieldValue)
              : fieldValue,
        ]),
      ),
      { requiredKeys: [] },
    );
    // Well-formed enough to reach the provider check and HubSpot's staging token, which a forged accountToken fails.
    const plausibleForm = fc.record({
      accountToken: fieldValue,
      portalId: fc.constant(world.portal.portalId),
      provider: fc.constantFrom('telegram', 'whatsapp', 'generic'),
      botToken: fc.stringMatching(/^\d{1,10}:[A-Za-z0-9_-]{1,40}$/),
      phoneNumberId: fc.stringMatching(/^\d{1,20}$/),
      accessToken: fieldValue,
      appSecret: fieldValue,
      accountName: fieldValue,
      callbackUrl: fc.oneof(fc.webUrl(), fieldValue),
      redirectUrl: fc.oneof(fc.webUrl(), fieldValue),
    });
    const form = fc.oneof(anyForm, plausibleForm);
    const encoding = fc.constantFrom(
      'form',
      'form',
      'form',
      'form-gzip',
      'form-repeated',
      'wrong-type',
      'random',
      'oversized',
    );
    await fc.assert(
      fc.asyncProperty(
        form,
        encoding,
        randomBytes,
        fc.constantFrom(...WRONG_CONTENT_TYPES),
        headerValue,
        async (fields, how, bytes, wrongType, garbage) => {
          const params = new URLSearchParams(fields as Record<string, string>);
          if (how === 'form-repeated') for (const [k, v] of [...params]) params.append(k, v + garbage);
          let body: Buffer = Buffer.from(params.toString());
          let headers: HeaderLine[] = [['Content-Type', 'application/x-www-form-urlencoded']];
          if (how === 'form-gzip') [body, headers] = [zlib.gzipSync(body), [...headers, ['Content-Encoding', 'gzip']]];
          if (how === 'wrong-type') headers = wrongType ? [['Content-Type', wrongType]] : [];
          if (how === 'random') body = bytes;
          if (how === 'oversized') body = Buffer.from(`accountName=${'a'.repeat(20_000)}`);
          const res = await page(
            'POST /connect',
            { method: 'POST', path: '/connect', headers, body },
            Object.values(fields) as string[],
          );
          assert.ok(res.status >= 400, `a forged form connected something: ${res.status}`);
        },
      ),
      fuzzOptions(RUNS),
    );
  });

  it('finding: a WhatsApp access token with a control character is a 400 page, not a 502 (fetch refused the header)', async () => {
    const started = await world.startConnect();
    const { status, html } = await world.submitConnect(started, {
      provider: 'whatsapp',
      phoneNumberId: '106540352242922',
      accessToken: 'EAAG\u0000x',
      appSecret: 'secret',
    });
    assert.equal(status, 400);
    assert.match(html, /This is not a WhatsApp access token/);
  });

  it('connected nothing, started no workflow, with no crash, no unhandled rejection, and bounded memory', async () => {
    assert.deepEqual(await world.store.listAccounts(), []);
    assert.equal((await world.client.workflow.count(`TaskQueue = "${world.taskQueue}"`)).count, 0);
    assert.deepEqual(guard.fired, []);
    memory.check();
  });
});
