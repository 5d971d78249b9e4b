import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MEDIA_LINK_KEY_PREFIX } from '../../packages/bridge/src/media-links/index.js';
import { describeEachStore } from '../helpers/store-backends.js';

const BYTES = Buffer.from('a staged file');

describeEachStore('expired media links are deleted', 'media_link_cleanup', (open) => {
  it('deletes only rows under the prefix staged before the given time, and says how many', async () => {
    const store = await open();
    await store.stageMedia(`${MEDIA_LINK_KEY_PREFIX}a`, 0, { bytes: BYTES });
    await store.stageMedia(`${MEDIA_LINK_KEY_PREFIX}b`, 0, { bytes: BYTES });
    await store.stageMedia('inbound:acct-1:m1', 0, { bytes: BYTES });
    // A key that only resembles the prefix.
    await store.stageMedia('media_link:x', 0, { bytes: BYTES });

    assert.equal(await store.dropStagedMediaBefore(MEDIA_LINK_KEY_PREFIX, new Date(Date.now() - 60_000)), 0);
    assert.equal(await store.dropStagedMediaBefore(MEDIA_LINK_KEY_PREFIX, new Date(Date.now() + 60_000)), 2);
    assert.equal(await store.getStagedMedia(`${MEDIA_LINK_KEY_PREFIX}a`, 0), undefined);
    assert.ok(await store.getStagedMedia('inbound:acct-1:m1', 0));
    assert.ok(await store.getStagedMedia('media_link:x', 0));
  });
});
