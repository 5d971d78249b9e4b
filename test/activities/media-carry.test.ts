import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DEFAULT_INBOUND_SETTINGS } from '../../packages/bridge/src/activities/inbound-settings.js';
import {
  createMediaActivities,
  type CarriedMedia,
  type CarryMediaInput,
} from '../../packages/bridge/src/activities/media.js';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import type { HubSpotClient } from '../../packages/bridge/src/hubspot/client.js';
import type { FileUpload } from '../../packages/bridge/src/hubspot/files.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { tempStore } from '../helpers/bridge.js';

/** A HubSpot whose Files upload reads the stream to the end, as the real one does. */
function fakeHubSpot() {
  const uploads: { fileName: string; bytes: Buffer }[] = [];
  const hubspot = {
    async uploadFile(_portalId: string, upload: FileUpload) {
      const parts: Buffer[] = [];
      const reader = upload.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(Buffer.from(value));
        upload.onProgress?.(parts.reduce((n, p) => n + p.length, 0));
      }
      uploads.push({ fileName: upload.fileName, bytes: Buffer.concat(parts) });
      return { id: String(uploads.length) };
    },
  } as unknown as HubSpotClient;
  return { hubspot, uploads };
}

describe('carryInboundMedia', () => {
  let store: Store;
  const accountId = asAccountId('acct-1');
  before(async () => {
    store = tempStore().store;
    await store.upsertAccount({
      accountId,
      portalId: 'p1',
      channelId: '1',
      provider: 'generic',
      name: 'G',
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'g' },
      authorized: true,
      credentials: { signingSecret: 'whsec_x' },
    });
  });
  after(() => store.close());

  const activity = (maxBytes: number, hubspot: HubSpotClient) =>
    createMediaActivities({ store, hubspot, media: { ...DEFAULT_INBOUND_SETTINGS.media, maxBytes } }).carryInboundMedia;
  const input = (media: CarryMediaInput['media'], messageKey = 'inbound:acct-1:m1'): CarryMediaInput => ({
    messageKey,
    accountId,
    index: 0,
    media,
  });

  it('uploads staged inline bytes, heartbeating with the bytes sent, and names the file by its type', async () => {
    const { hubspot, uploads } = fakeHubSpot();
    await store.stageMedia('inbound:acct-1:m1', 0, { contentType: 'audio/ogg', bytes: Buffer.alloc(3000, 1) });
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const carried = await env.run(
      activity(10_000, hubspot),
      input({ kind: 'voice', contentType: 'audio/ogg', ref: 'staged:0' }),
    );
    assert.deepEqual(carried, { attachment: { type: 'FILE', fileId: '1', fileUsageType: 'VOICE_RECORDING' } });
    assert.equal(uploads[0]?.fileName, 'voice.ogg');
    assert.deepEqual(beats, [{ bytesSent: 3000 }]);
  });

  it('turns media over the limit into a note before downloading anything', async () => {
    const { hubspot, uploads } = fakeHubSpot();
    const carried = await new MockActivityEnvironment().run(
      activity(1000, hubspot),
      input({ kind: 'video', filename: 'big.mp4', sizeBytes: 30_000_000, ref: 'https://10.0.0.1/big.mp4' }),
    );
    assert.deepEqual(carried, {
      note: '[A video "big.mp4" was sent but could not be carried: it is 30.0 MB, and the limit is 1 KB]',
    });
    assert.equal(uploads.length, 0);
  });

  it('checks the real size of staged bytes against the limit too', async () => {
    await store.stageMedia('inbound:acct-1:m2', 0, { bytes: Buffer.alloc(5000, 1) });
    const { hubspot } = fakeHubSpot();
    const carried = await new MockActivityEnvironment().run(
      activity(4000, hubspot),
      input({ kind: 'file', ref: 'staged:0' }, 'inbound:acct-1:m2'),
    );
    assert.deepEqual(carried, {
      note: '[A file was sent but could not be carried: it is 5 KB, and the limit is 4 KB]',
    });
  });

  it('says so when inline bytes were never staged, or the provider refuses the download for good', async () => {
    const { hubspot } = fakeHubSpot();
    const unstaged = await new MockActivityEnvironment().run(
      activity(4000, hubspot),
      input({ kind: 'image', ref: 'staged:3' }, 'inbound:acct-1:none'),
    );
    assert.deepEqual(unstaged, {
      note: '[An image was sent but could not be carried: its inline bytes were not kept when the webhook arrived]',
    });
    const refused = (await new MockActivityEnvironment().run(
      activity(4000, hubspot),
      input({ kind: 'image', ref: 'http://10.0.0.1/x.png' }),
    )) as CarriedMedia;
    assert.match('note' in refused ? refused.note : '', /^\[An image was sent but could not be carried: .*10\.0\.0\.1/);
  });

  it("leaves a transient HubSpot failure retryable, with HubSpot's Retry-After", async () => {
    await store.stageMedia('inbound:acct-1:m3', 0, { bytes: Buffer.alloc(10, 1) });
    const { HubSpotApiError } = await import('../../packages/bridge/src/hubspot/errors.js');
    const hubspot = {
      uploadFile: async () => Promise.reject(new HubSpotApiError(429, { message: 'slow down' }, 7)),
    } as unknown as HubSpotClient;
    await assert.rejects(
      new MockActivityEnvironment().run(
        activity(4000, hubspot),
        input({ kind: 'image', ref: 'staged:0' }, 'inbound:acct-1:m3'),
      ),
      (error: ApplicationFailure) => {
        assert.equal(error.type, 'RateLimited');
        assert.equal(error.nonRetryable, false);
        assert.equal(error.nextRetryDelay, '7s');
        return true;
      },
    );
  });
});
