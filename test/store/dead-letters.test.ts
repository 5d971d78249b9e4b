import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { NewDeadLetter } from '../../packages/bridge/src/store/types.js';
import { describeEachStore } from '../helpers/store-backends.js';

const at = (minutesAgo: number) => new Date(Date.parse('2026-03-01T12:00:00.000Z') - minutesAgo * 60_000).toISOString();
const letter = (id: string, minutesAgo: number, body = `{"eventId":"${id}","text":"élan"}`): NewDeadLetter => ({
  id,
  source: 'hubspot',
  type: 'unusable',
  eventId: id,
  reason: 'no event type',
  body,
  receivedAt: at(minutesAgo),
});

describeEachStore('dead letters', 'bridge_dead', (open) => {
  it('keeps a letter with its body, once per id, and lists summaries newest first', async () => {
    const store = await open();
    await store.saveDeadLetter(letter('a', 10));
    await store.saveDeadLetter({ ...letter('b', 5), receivedType: 'SOMETHING', eventId: undefined });
    await store.saveDeadLetter({ ...letter('a', 0), reason: 'a redelivery keeps the first row' });
    assert.deepEqual(await store.listDeadLetters(10), [
      {
        id: 'b',
        source: 'hubspot',
        type: 'unusable',
        receivedType: 'SOMETHING',
        reason: 'no event type',
        receivedAt: at(5),
        bytes: Buffer.byteLength('{"eventId":"b","text":"élan"}'),
        replayAttempts: 0,
      },
      {
        id: 'a',
        source: 'hubspot',
        type: 'unusable',
        eventId: 'a',
        reason: 'no event type',
        receivedAt: at(10),
        bytes: Buffer.byteLength('{"eventId":"a","text":"élan"}'),
        replayAttempts: 0,
      },
    ]);
    assert.equal((await store.getDeadLetter('a'))?.body, '{"eventId":"a","text":"élan"}');
    assert.deepEqual(
      (await store.listDeadLetters(1)).map((l) => l.id),
      ['b'],
    );
    assert.equal(await store.getDeadLetter('nope'), undefined);
  });

  it('notes a failed replay and deletes a letter once', async () => {
    const store = await open();
    await store.saveDeadLetter(letter('a', 1));
    await store.noteDeadLetterReplayFailed('a', 'still no type', at(0));
    await store.noteDeadLetterReplayFailed('a', 'still no type, again', at(0));
    const noted = await store.getDeadLetter('a');
    assert.deepEqual([noted?.reason, noted?.replayAttempts, noted?.lastReplayAt], ['still no type, again', 2, at(0)]);
    assert.equal(await store.deleteDeadLetter('a'), true);
    assert.equal(await store.deleteDeadLetter('a'), false);
    assert.equal(await store.getDeadLetter('a'), undefined);
  });

  it('prunes by age, by count and by total bytes, oldest first', async () => {
    const store = await open();
    for (let i = 0; i < 6; i += 1) await store.saveDeadLetter(letter(`n${i}`, 60 - i));
    assert.equal(await store.pruneDeadLetters({ keep: 100, maxBytes: 1e9, receivedBefore: at(58.5) }), 2);
    assert.equal(await store.pruneDeadLetters({ keep: 3, maxBytes: 1e9, receivedBefore: at(1000) }), 1);
    assert.deepEqual(
      (await store.listDeadLetters(10)).map((l) => l.id),
      ['n5', 'n4', 'n3'],
    );
    const size = Buffer.byteLength(letter('n5', 0).body);
    assert.equal(await store.pruneDeadLetters({ keep: 100, maxBytes: 2 * size, receivedBefore: at(1000) }), 1);
    assert.deepEqual(
      (await store.listDeadLetters(10)).map((l) => l.id),
      ['n5', 'n4'],
    );
    assert.equal(await store.pruneDeadLetters({ keep: 100, maxBytes: 2 * size, receivedBefore: at(1000) }), 0);
  });
});
