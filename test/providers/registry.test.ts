import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  adapterFor,
  findModule,
  moduleFor,
  pacingOf,
  providerKinds,
  settingsFor,
  UnknownProviderError,
  type ProviderEndpoints,
} from '../../packages/bridge/src/providers/registry.js';
import { MissingCredentialError } from '../../packages/bridge/src/providers/module.js';

const account = (credentials: Record<string, string>) => ({ accountId: '8675309', provider: 'telegram', credentials });

describe('the provider registry', () => {
  it('lists each module once, by kind, and refuses a kind it does not know', () => {
    const kinds = providerKinds();
    assert.equal(new Set(kinds).size, kinds.length);
    for (const kind of kinds) assert.equal(moduleFor(kind).kind, kind);
    assert.equal(findModule('carrier-pigeon'), undefined);
    assert.throws(() => moduleFor('carrier-pigeon'), UnknownProviderError);
  });

  it('gives the same adapter for the same account and credentials, and a new one after a reconnect', () => {
    const endpoints: ProviderEndpoints = {};
    const first = adapterFor(account({ botToken: '1:a', secretToken: 's1' }), endpoints);
    assert.equal(adapterFor(account({ botToken: '1:a', secretToken: 's1' }), endpoints), first);
    assert.notEqual(adapterFor(account({ botToken: '1:a', secretToken: 's2' }), endpoints), first);
  });

  it('names the credential an account lacks', () => {
    assert.throws(
      () => adapterFor(account({ botToken: '1:a' })),
      (error: unknown) => error instanceof MissingCredentialError && error.credential === 'secretToken',
    );
  });

  it('lays given settings over the module defaults, and paces by them', () => {
    const settings = { telegram: { apiBaseUrl: 'http://127.0.0.1:9' } };
    assert.deepEqual(settingsFor('telegram', settings), {
      apiBaseUrl: 'http://127.0.0.1:9',
      pacing: { perChatIntervalMs: 1000, globalPerSecond: 30 },
    });
    assert.deepEqual(pacingOf({ telegram: { pacing: { perChatIntervalMs: 5, globalPerSecond: 0 } } }).telegram, {
      perChatIntervalMs: 5,
      globalPerSecond: 0,
    });
    assert.deepEqual(pacingOf().generic, { perChatIntervalMs: 0, globalPerSecond: 0 });
  });
});
