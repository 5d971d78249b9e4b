import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, type Config } from '../packages/bridge/src/config.js';
import type { WhatsAppSettings } from '../packages/bridge/src/providers/whatsapp/settings.js';

/** The WhatsApp module's settings, as the config carries them by kind. */
const whatsappOf = (config: Config) => config.providers.settings.whatsapp as WhatsAppSettings;

const valid = {
  BRIDGE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  BRIDGE_PUBLIC_URL: 'https://bridge.example.com',
  HUBSPOT_CLIENT_ID: 'client-id',
  HUBSPOT_CLIENT_SECRET: 'client-secret',
  HUBSPOT_CHANNEL_ID: '1234',
};

describe('loadConfig', () => {
  it('applies every default once', () => {
    const config = loadConfig(valid);
    assert.equal(config.api.port, 3000);
    assert.equal(config.api.publicUrl, 'https://bridge.example.com');
    assert.equal(config.hubspot.baseUrl, 'https://api.hubapi.com');
    assert.equal(config.temporal.address, '127.0.0.1:7233');
    assert.equal(config.store.sqlitePath, '.data/bridge.sqlite');
    assert.equal(config.catchUpMs, 30_000);
    assert.equal(config.sendersStartWithApi, false);
    assert.equal(config.shutdown.graceMs, 30_000);
    assert.deepEqual(config.health, { workerHost: '127.0.0.1', workerPort: 0 });
  });

  it('lists every missing setting with what it is for', () => {
    assert.throws(
      () => loadConfig({}),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 4, error.message);
        assert.ok(error.problems.some((p) => p.startsWith('HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are required')));
        assert.ok(error.problems.some((p) => p.startsWith('BRIDGE_PUBLIC_URL is required')));
        assert.ok(error.problems.some((p) => p.startsWith('HUBSPOT_CHANNEL_ID is required')));
        assert.ok(error.problems.some((p) => p.startsWith('BRIDGE_ENCRYPTION_KEY is required')));
        return true;
      },
    );
  });

  it('treats an empty variable as missing', () => {
    assert.throws(
      () => loadConfig({ ...valid, HUBSPOT_CLIENT_SECRET: '' }),
      /HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are required/,
    );
  });

  it('refuses a setup that cannot receive HubSpot: no client secret, a public URL that is not https', () => {
    const { HUBSPOT_CLIENT_SECRET: _secret, ...noSecret } = valid;
    assert.throws(() => loadConfig(noSecret), /HubSpot signs every webhook with the secret/);
    assert.throws(
      () => loadConfig({ ...valid, BRIDGE_PUBLIC_URL: 'http://bridge.example.com' }),
      /BRIDGE_PUBLIC_URL must be https/,
    );
    assert.throws(
      () => loadConfig({ ...valid, BRIDGE_PUBLIC_URL: 'http://0.0.0.0:3000' }),
      /BRIDGE_PUBLIC_URL must be https/,
    );
    for (const local of ['http://127.0.0.1:3000', 'http://localhost:3000', 'http://[::1]:3000']) {
      assert.equal(
        loadConfig({ ...valid, BRIDGE_PUBLIC_URL: local }).api.publicUrl,
        local,
        'plain http on this machine',
      );
    }
  });

  it("takes a static token only from the local sandbox: a real portal's token expires in 30 minutes", () => {
    assert.throws(
      () => loadConfig({ ...valid, HUBSPOT_ACCESS_TOKEN: 'pat-na1-abc' }),
      /HUBSPOT_ACCESS_TOKEN works only against the local sandbox/,
    );
    const sandbox = loadConfig({
      ...valid,
      HUBSPOT_ACCESS_TOKEN: 'sandbox-token',
      HUBSPOT_BASE_URL: 'http://127.0.0.1:4100',
    });
    assert.equal(sandbox.hubspot.accessToken, 'sandbox-token');
  });

  it('explains each bad value', () => {
    assert.throws(
      () =>
        loadConfig({
          ...valid,
          BRIDGE_API_PORT: '70000',
          HUBSPOT_BASE_URL: 'api.hubapi.com',
          HUBSPOT_CHANNEL_ID: 'my-channel',
          BRIDGE_ENCRYPTION_KEY: 'short',
          LOG_LEVEL: 'loud',
          BRIDGE_CATCH_UP_SECONDS: '-5',
          BRIDGE_SENDERS_START_WITH_API: 'yes',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /BRIDGE_API_PORT must be between 0 and 65535/);
        assert.match(error.message, /HUBSPOT_BASE_URL must be an absolute URL/);
        assert.match(error.message, /HUBSPOT_CHANNEL_ID must be the numeric channel id/);
        assert.match(error.message, /BRIDGE_ENCRYPTION_KEY must be 32 bytes/);
        assert.match(error.message, /LOG_LEVEL/);
        assert.match(error.message, /BRIDGE_CATCH_UP_SECONDS must be 0 or more/);
        assert.match(error.message, /BRIDGE_SENDERS_START_WITH_API must be true or false/);
        return true;
      },
    );
  });

  it('starts the newest message types unless told the previous ones during an upgrade, and refuses a type it has not', () => {
    assert.equal(loadConfig(valid).api.workflowTypes, undefined);
    assert.deepEqual(
      loadConfig({ ...valid, BRIDGE_START_WORKFLOW_TYPES: 'inboundMessageWorkflowV3, outboundMessageWorkflowV3' }).api
        .workflowTypes,
      { inbound: 'inboundMessageWorkflowV3', outbound: 'outboundMessageWorkflowV3' },
    );
    for (const wrong of [
      'inboundMessageWorkflowV9,outboundMessageWorkflowV3',
      'outboundMessageWorkflowV3,inboundMessageWorkflowV3',
      'inboundMessageWorkflowV3',
    ])
      assert.throws(
        () => loadConfig({ ...valid, BRIDGE_START_WORKFLOW_TYPES: wrong }),
        /BRIDGE_START_WORKFLOW_TYPES must name an inbound then an outbound message workflow type, comma-separated, of: inboundMessageWorkflowV4/,
        wrong,
      );
  });

  it('reads what a WhatsApp reply does after the 24-hour window: fail by default, a template when one is named', () => {
    assert.deepEqual(whatsappOf(loadConfig(valid)).window, { mode: 'fail' });
    assert.deepEqual(whatsappOf(loadConfig({ ...valid, WHATSAPP_WINDOW_TEMPLATE: 'support_follow_up' })).window, {
      mode: 'template',
      template: { name: 'support_follow_up', language: 'en_US' },
    });
    assert.deepEqual(
      whatsappOf(
        loadConfig({
          ...valid,
          WHATSAPP_WINDOW_MODE: 'template',
          WHATSAPP_WINDOW_TEMPLATE: 'follow_up_2',
          WHATSAPP_WINDOW_TEMPLATE_LANGUAGE: 'pt_BR',
        }),
      ).window,
      { mode: 'template', template: { name: 'follow_up_2', language: 'pt_BR' } },
    );
    assert.deepEqual(
      whatsappOf(loadConfig({ ...valid, WHATSAPP_WINDOW_MODE: 'fail', WHATSAPP_WINDOW_TEMPLATE: 'support_follow_up' }))
        .window,
      { mode: 'fail' },
    );
  });

  it('refuses a window template Meta could never take, or template mode without a template', () => {
    assert.throws(
      () =>
        loadConfig({
          ...valid,
          WHATSAPP_WINDOW_MODE: 'sometimes',
          WHATSAPP_WINDOW_TEMPLATE: 'Support Follow-up',
          WHATSAPP_WINDOW_TEMPLATE_LANGUAGE: 'english',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /WHATSAPP_WINDOW_MODE must be fail or template/);
        assert.match(error.message, /WHATSAPP_WINDOW_TEMPLATE must be an approved template name/);
        assert.match(error.message, /WHATSAPP_WINDOW_TEMPLATE_LANGUAGE must be a template language code/);
        return true;
      },
    );
    assert.throws(
      () => loadConfig({ ...valid, WHATSAPP_WINDOW_MODE: 'template' }),
      /WHATSAPP_WINDOW_TEMPLATE is required when WHATSAPP_WINDOW_MODE is template/,
    );
  });
});
