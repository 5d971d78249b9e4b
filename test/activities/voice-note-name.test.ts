import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { playableInInbox } from '../../packages/bridge/src/activities/media-notes.js';

describe('an inbound voice note as HubSpot stores it', () => {
  it('names an unnamed Ogg/Opus voice note voice.ogg, typed audio/ogg, not voice.opus / audio/opus', () => {
    assert.deepEqual(playableInInbox({ kind: 'voice' }, 'voice.opus', 'audio/opus'), {
      fileName: 'voice.ogg',
      contentType: 'audio/ogg',
    });
    assert.deepEqual(playableInInbox({ kind: 'voice' }, 'voice.ogg', 'audio/ogg; codecs=opus'), {
      fileName: 'voice.ogg',
      contentType: 'audio/ogg',
    });
  });

  it("keeps the customer's own name, with the .ogg extension the player expects", () => {
    assert.deepEqual(playableInInbox({ kind: 'audio', filename: 'memo.oga' }, 'memo.oga', 'audio/ogg'), {
      fileName: 'memo.ogg',
      contentType: 'audio/ogg',
    });
    assert.deepEqual(playableInInbox({ kind: 'audio', filename: 'take 2' }, 'take 2', 'audio/opus'), {
      fileName: 'take 2',
      contentType: 'audio/ogg',
    });
  });

  it('leaves other audio and other kinds as they are', () => {
    assert.deepEqual(playableInInbox({ kind: 'voice' }, 'voice.m4a', 'audio/mp4'), {
      fileName: 'voice.m4a',
      contentType: 'audio/mp4',
    });
    assert.deepEqual(playableInInbox({ kind: 'file', filename: 'x.ogg' }, 'x.ogg', 'application/ogg'), {
      fileName: 'x.ogg',
      contentType: 'application/ogg',
    });
  });
});
