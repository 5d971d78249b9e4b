import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountIdsOf, eventTypeOf, hubSpotId } from '../../packages/bridge/src/api/routes/hubspot-event-fields.js';

/** Which ids and types the HubSpot webhook reads out of an event, and which it refuses to guess. */
describe('HubSpot event fields', () => {
  it('reads an id from a non-negative integer or a string of up to 20 digits, trimmed', () => {
    assert.deepEqual(
      [hubSpotId(42), hubSpotId('42'), hubSpotId(' 42 '), hubSpotId('9'.repeat(20))],
      ['42', '42', '42', '9'.repeat(20)],
    );
  });

  it('reads no id from anything else', () => {
    for (const value of [
      -1,
      1.5,
      Number.NaN,
      2 ** 60,
      '',
      'abc',
      '12a',
      '9'.repeat(21),
      { toString: () => '1' },
      ['1'],
      null,
      undefined,
      true,
    ]) {
      assert.equal(hubSpotId(value), undefined, String(value));
    }
  });

  it('takes the type from type, eventType or subscriptionType, in that order', () => {
    assert.equal(eventTypeOf({ type: 'A', eventType: 'B' }), 'A');
    assert.equal(eventTypeOf({ eventType: 'B', subscriptionType: 'C' }), 'B');
    assert.equal(eventTypeOf({ subscriptionType: 'C' }), 'C');
    assert.equal(eventTypeOf({ type: 7 }), undefined);
    assert.equal(eventTypeOf([{ type: 'A' }]), undefined);
  });

  it('finds the portal and account at the top, as objectId, or nested', () => {
    assert.deepEqual(accountIdsOf({ portalId: 1, channelAccountId: '2' }), { portalId: '1', accountId: '2' });
    assert.deepEqual(accountIdsOf({ portalId: '1', objectId: 2 }), { portalId: '1', accountId: '2' });
    assert.deepEqual(accountIdsOf({ channelAccount: { id: 2, portalId: 1 } }), { portalId: '1', accountId: '2' });
    assert.deepEqual(accountIdsOf({ portalId: 1, account: { id: '2' } }), { portalId: '1', accountId: '2' });
    assert.deepEqual(accountIdsOf({ portalId: 1, message: { channelAccountId: 2 } }), {
      portalId: '1',
      accountId: '2',
    });
  });

  it('skips an unusable candidate for the next one, and gives up when the portal or the account is missing', () => {
    assert.deepEqual(accountIdsOf({ portalId: 1, channelAccountId: 'not-a-number', objectId: 2 }), {
      portalId: '1',
      accountId: '2',
    });
    assert.equal(accountIdsOf({ channelAccountId: 2 }), undefined);
    assert.equal(accountIdsOf({ portalId: 1 }), undefined);
    assert.equal(accountIdsOf('CHANNEL_ACCOUNT_UPDATED'), undefined);
  });
});
