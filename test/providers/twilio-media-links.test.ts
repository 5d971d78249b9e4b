import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import express from 'express';
import { after, before, describe, it } from 'node:test';
import { errorHandler } from '../../packages/bridge/src/api/middleware/error-handler.js';
import { mediaLinksRouter } from '../../packages/bridge/src/api/routes/media-links.js';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import {
  createMediaLinks,
  MEDIA_LINK_KEY_PREFIX,
  mediaLinkSecret,
} from '../../packages/bridge/src/media-links/index.js';
import { createTwilioAdapter } from '../../packages/bridge/src/providers/twilio/index.js';
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_PHONE_NUMBER,
  startTwilioSandbox,
} from '../../packages/sandbox/src/twilio/app.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';

const PICTURE = Buffer.from('GIF89a tiny picture');

describe('media links: public, expiring URLs for outbound files', () => {
  let store: Store;
  let server: http.Server;
  let publicUrl: string;
  let clock = new Date('2026-12-06T10:00:00Z');
  let links: ReturnType<typeof createMediaLinks>;

  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'media-links-'));
    store = openSqliteStore({ path: path.join(dir, 'bridge.db'), encryptionKey: randomBytes(32) });
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    publicUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    links = createMediaLinks({ store, secret: 'k'.repeat(32), publicUrl, ttlSeconds: 600, now: () => clock });
    const app = express()
      .use(mediaLinksRouter(links))
      .use(errorHandler(createLogger('test', 'silent')));
    server.on('request', app);
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await store.close();
  });

  it('serves a staged file with its content type and a safe name', async () => {
    const url = await links.link({ contentType: 'image/gif', filename: 'my photo (1).gif', data: PICTURE });
    assert.match(url, new RegExp(`^${publicUrl}/media-links/[0-9a-f]{32}/my_photo_1_.gif\\?expires=\\d+&sig=`));
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/gif');
    assert.equal(response.headers.get('content-disposition'), 'inline; filename="my_photo_1_.gif"');
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), PICTURE);
    assert.equal((await fetch(url, { method: 'HEAD' })).headers.get('content-type'), 'image/gif');
  });

  it('answers 403 for a changed signature, name or expiry', async () => {
    const url = new URL(await links.link({ contentType: 'image/gif', filename: 'a.gif', data: PICTURE }));
    const sig = url.searchParams.get('sig')!;
    url.searchParams.set('sig', `${sig.slice(0, -2)}AA`);
    assert.equal((await fetch(url)).status, 403);
    url.searchParams.set('sig', sig);
    url.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    assert.equal((await fetch(url)).status, 403);
    assert.equal((await fetch(url.href.replace('/a.gif', '/b.gif'))).status, 403);
  });

  it('answers 404 once the link expired, and drops the file', async () => {
    const url = await links.link({ contentType: 'image/gif', filename: 'a.gif', data: PICTURE });
    clock = new Date(clock.getTime() + 601_000);
    assert.equal((await fetch(url)).status, 404);
    clock = new Date(clock.getTime() - 601_000);
    assert.equal((await fetch(url)).status, 404, 'the expired file is gone even within its old window');
  });

  it('deletes the files of expired links when it makes a new one, and keeps the new one and inbound media', async () => {
    await store.stageMedia('inbound:acct-1:m1', 0, { bytes: PICTURE });
    const stale = await links.link({ contentType: 'image/gif', filename: 'stale.gif', data: PICTURE });
    const idOf = (url: string) => `${MEDIA_LINK_KEY_PREFIX}${new URL(url).pathname.split('/')[2]!}`;
    assert.equal(
      await store.dropStagedMediaBefore(MEDIA_LINK_KEY_PREFIX, new Date(Date.now() - 3600_000)),
      0,
      'nothing is an hour old yet',
    );
    // Ten minutes and a second later, with a ten-minute lifetime: every link made so far has expired.
    const later = createMediaLinks({
      store,
      secret: 'k'.repeat(32),
      publicUrl,
      ttlSeconds: 600,
      now: () => new Date(Date.now() + 601_000),
    });
    const fresh = await later.link({ contentType: 'image/gif', filename: 'new.gif', data: PICTURE });
    assert.equal(await store.getStagedMedia(idOf(stale), 0), undefined);
    assert.ok(await store.getStagedMedia(idOf(fresh), 0));
    assert.ok(await store.getStagedMedia('inbound:acct-1:m1', 0), 'inbound staged media is not a link');
  });

  it('derives one signing secret from the encryption key, so the api serves what the worker linked', async () => {
    const key = randomBytes(32);
    assert.deepEqual(mediaLinkSecret(key), mediaLinkSecret(Buffer.from(key)));
    assert.notDeepEqual(mediaLinkSecret(key), mediaLinkSecret(randomBytes(32)));
    assert.notDeepEqual(mediaLinkSecret(key), key, 'the key itself is never the secret');
    const worker = createMediaLinks({ store, secret: mediaLinkSecret(key), publicUrl });
    const api = createMediaLinks({ store, secret: mediaLinkSecret(Buffer.from(key)), publicUrl });
    const url = new URL(await worker.link({ contentType: 'image/gif', filename: 'x.gif', data: PICTURE }));
    const [, , id, filename] = url.pathname.split('/');
    const opened = await api.open(
      { id: id!, filename: filename!, expires: Number(url.searchParams.get('expires')) },
      url.searchParams.get('sig')!,
    );
    assert.equal(opened.kind, 'file');
  });

  it('lets the Twilio emulator fetch the file of an MMS reply', async () => {
    const sandbox = await startTwilioSandbox({ statusDelayMs: 1 });
    try {
      const adapter = createTwilioAdapter(
        {
          accountId: asAccountId('acct-1'),
          accountSid: DEFAULT_ACCOUNT_SID,
          authToken: DEFAULT_AUTH_TOKEN,
          sender: DEFAULT_PHONE_NUMBER,
          apiBaseUrl: sandbox.url,
        },
        { fetch, mediaUrlFor: (a) => links.link(a) },
      );
      const file = { kind: 'image' as const, contentType: 'image/gif', filename: 'pic.gif', data: PICTURE };
      const { providerMessageIds } = await adapter.send({
        chatId: '+15557654321',
        text: 'Here it is',
        attachments: [file],
      });
      assert.equal(providerMessageIds.length, 1, 'the text and the picture go as one MMS');
      const message = () => sandbox.state.messages.find((m) => m.sid === providerMessageIds[0]);
      for (let i = 0; i < 100 && message()?.status !== 'delivered'; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(message()?.status, 'delivered');
      assert.equal(message()?.body, 'Here it is');
      assert.deepEqual(sandbox.state.media.get(message()!.media[0]!)?.bytes, PICTURE);
    } finally {
      await sandbox.close();
    }
  });
});
