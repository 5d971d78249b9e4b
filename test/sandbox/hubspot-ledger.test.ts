import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addPortal } from '../../packages/sandbox/src/hubspot/state.js';
import { startSandbox, type Sandbox } from '../helpers/hubspot-sandbox.js';

/** The ledger names the portal behind each call, so per-portal rates can be read from it (benchmarks). */
describe('HubSpot sandbox: ledger', () => {
  let hs: Sandbox;
  before(async () => {
    hs = await startSandbox();
  });
  after(() => hs.close());

  it("names the portal of the call's bearer token, and none for the developer key or an unknown token", async () => {
    const second = addPortal(hs.state);
    const since = hs.state.ledger.length;
    await hs.call('GET', '/conversations/v3/conversations/inboxes');
    await hs.call('GET', '/conversations/v3/conversations/inboxes', { token: second.accessToken });
    await hs.registerChannel();
    await hs.call('GET', '/conversations/v3/conversations/inboxes', { token: 'not-a-token' });
    const { body } = await hs.call('GET', `/_sandbox/ledger?since=${since}`);
    const entries = body.entries as { path: string; status: number; portalId?: string }[];
    assert.deepEqual(
      entries.map((e) => [e.status, e.portalId]),
      [
        [200, hs.portal.portalId],
        [200, second.portalId],
        [201, undefined],
        [401, undefined],
      ],
    );
  });
});
