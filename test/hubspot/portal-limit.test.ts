import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createChannelAccountsClient } from '../../packages/bridge/src/hubspot/channel-accounts.js';
import { retryAfterSeconds } from '../../packages/bridge/src/hubspot/errors.js';
import { limitedChannelAccounts, type PortalLimiter } from '../../packages/bridge/src/hubspot/portal-limit.js';
import { startSandbox, type Sandbox } from '../helpers/hubspot-sandbox.js';

/**
 * The limited clients put each request to HubSpot's API through the limiter once: no request unpaced, none paced twice.
 */
describe('limited HubSpot clients', () => {
  let hs: Sandbox;
  let channelId: string;
  before(async () => {
    hs = await startSandbox();
    channelId = (await hs.registerChannel()).id;
  });
  after(() => hs.close());

  /** Counts the limiter's slots beside the sandbox's ledger of requests it received. */
  function counted() {
    const slots: string[] = [];
    const limit: PortalLimiter = (portalId, call) => {
      slots.push(portalId);
      return call();
    };
    const client = createChannelAccountsClient({
      baseUrl: hs.url,
      channelId,
      accessTokenFor: async () => hs.portal.accessToken,
    });
    return { slots, accounts: limitedChannelAccounts(client, limit) };
  }
  const requestsSince = (seq: number) =>
    hs.state.ledger.filter((e) => e.seq > seq && e.portalId === hs.portal.portalId).length;

  it('takes one slot for a live account read, and one per read when the live read 404s and the archived one follows', async () => {
    const live = await hs.createAccount(channelId);
    const gone = await hs.createAccount(channelId);
    await hs.call('DELETE', `/_sandbox/channel-accounts/${gone.id}`, { token: null });
    const { slots, accounts } = counted();
    const from = hs.state.ledger.length;
    assert.equal((await accounts.lookUpAccount(hs.portal.portalId, live.id)).state, 'live');
    assert.equal((await accounts.lookUpAccount(hs.portal.portalId, gone.id)).state, 'archived');
    assert.equal(requestsSince(from), 3, 'HubSpot received three requests');
    assert.deepEqual(
      slots,
      [hs.portal.portalId, hs.portal.portalId, hs.portal.portalId],
      'and the limiter saw each one, once',
    );
  });
});

describe("reading HubSpot's Retry-After", () => {
  it('takes delay-seconds, or an HTTP-date as the seconds from now, and ignores what is absent, unreadable or past', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    assert.equal(retryAfterSeconds('3', now), 3);
    assert.equal(retryAfterSeconds('Tue, 01 Dec 2026 10:00:07 GMT', now), 7);
    assert.equal(retryAfterSeconds('Tue, 01 Dec 2026 09:59:00 GMT', now), undefined);
    assert.equal(retryAfterSeconds('0', now), undefined);
    assert.equal(retryAfterSeconds('soon', now), undefined);
    assert.equal(retryAfterSeconds(null, now), undefined);
  });
});
