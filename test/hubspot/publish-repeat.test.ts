import assert from 'node:assert/strict';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createHubSpotClient } from '../../packages/bridge/src/hubspot/client.js';
import { HubSpotApiError } from '../../packages/bridge/src/hubspot/errors.js';
import type { MessageEgg } from '../../packages/bridge/src/hubspot/types.js';
import { startSandbox, type Sandbox } from '../helpers/hubspot-sandbox.js';

/**
 * How the repeat of an `integrationIdempotencyId` is answered in front of the sandbox (which answers 201 as
 * documented).
 */
type RepeatAnswer = 'as-sandbox' | '200' | '409-naming-the-message' | '409-naming-nothing';

/**
 * A repeated publish is a success: the bridge's client returns the first message whether HubSpot answers the repeat
 * with 201 (what the reference lists), 200, or a 409 that names the earlier message ([INFERRED] forms).
 */
describe('publishing with a repeated integrationIdempotencyId', () => {
  let hs: Sandbox;
  let channelId: string;
  let accountId: string;
  let proxy: Server;
  let proxyUrl: string;
  let repeatAnswer: RepeatAnswer = 'as-sandbox';
  const seen = new Set<string>();

  before(async () => {
    hs = await startSandbox();
    channelId = (await hs.registerChannel()).id;
    accountId = (await hs.createAccount(channelId)).id;
    // Forwards every call; rewrites only the answer to a repeated publish.
    proxy = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const answer = await fetch(`${hs.url}${req.url}`, {
        method: req.method,
        headers: { authorization: String(req.headers.authorization), 'content-type': 'application/json' },
        body: req.method === 'GET' ? undefined : body,
      });
      const text = await answer.text();
      const key =
        req.method === 'POST' && req.url?.endsWith('/messages')
          ? (JSON.parse(body.toString()) as { integrationIdempotencyId?: string }).integrationIdempotencyId
          : undefined;
      const repeat = key !== undefined && seen.has(key);
      if (key) seen.add(key);
      const send = (status: number, json: string) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(json);
      if (!repeat || repeatAnswer === 'as-sandbox') return send(answer.status, text);
      if (repeatAnswer === '200') return send(200, text);
      const conflict = {
        status: 'error',
        category: 'CONFLICT',
        correlationId: randomUUID(),
        message: 'A message with this integrationIdempotencyId already exists',
      };
      const context =
        repeatAnswer === '409-naming-the-message'
          ? { context: { messageId: [(JSON.parse(text) as { id: string }).id] } }
          : {};
      return send(409, JSON.stringify({ ...conflict, ...context }));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await hs.close();
  });

  const client = () =>
    createHubSpotClient({ baseUrl: proxyUrl, channelId, accessTokenFor: async () => hs.portal.accessToken });
  const egg = (): MessageEgg => ({
    ...(hs.incoming(accountId) as unknown as MessageEgg),
    integrationIdempotencyId: `key-${randomUUID()}`,
  });
  const publishTwice = async (answer: RepeatAnswer) => {
    const message = egg();
    repeatAnswer = answer;
    const first = await client().publishMessage(hs.portal.portalId, message);
    const second = await client().publishMessage(hs.portal.portalId, message);
    return { first, second };
  };

  it('takes the 201 the sandbox answers for a repeat (as documented) as the first message', async () => {
    const { first, second } = await publishTwice('as-sandbox');
    assert.deepEqual([second.id, second.conversationsThreadId], [first.id, first.conversationsThreadId]);
  });

  it('takes a 200 for a repeat as the first message', async () => {
    const { first, second } = await publishTwice('200');
    assert.equal(second.id, first.id);
  });

  it('takes a 409 that names the earlier message as published, reading it back for its thread', async () => {
    const { first, second } = await publishTwice('409-naming-the-message');
    assert.deepEqual([second.id, second.conversationsThreadId], [first.id, first.conversationsThreadId]);
  });

  it('keeps a 409 that names no message an error: there is no message id to record', async () => {
    const message = egg();
    repeatAnswer = '409-naming-nothing';
    await client().publishMessage(hs.portal.portalId, message);
    await assert.rejects(
      client().publishMessage(hs.portal.portalId, message),
      (error) => error instanceof HubSpotApiError && error.status === 409,
    );
  });
});
