import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ChannelConfigError, readChannelConfig } from '../../packages/bridge/src/cli/config-file.js';
import { createHubSpotSandbox } from '../../packages/sandbox/src/hubspot/app.js';
import { createHubSpotSandboxState } from '../../packages/sandbox/src/hubspot/state.js';
import { listen } from '../helpers/bridge.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const EXAMPLE = path.join(ROOT, 'examples/channel.json');
/** The example's URLs are `${BRIDGE_PUBLIC_URL}/…`. */
const SETTINGS = { BRIDGE_PUBLIC_URL: 'https://bridge.example.com' };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-cli-'));

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
const example = () =>
  JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown> & { capabilities: Record<string, unknown> };

function cli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HUBSPOT_|BRIDGE_)/.test(k)));
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'packages/bridge/src/cli/index.ts'), ...args],
      { cwd: ROOT, env: { ...clean, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('channel config file', () => {
  it('reads the example JSON file', () => {
    const config = readChannelConfig(EXAMPLE, SETTINGS);
    assert.equal(config.capabilities.threadingModel, 'INTEGRATION_THREAD_ID');
  });

  it('fills in ${SETTING}s from the environment, and names one that is not set', () => {
    assert.equal(
      readChannelConfig(EXAMPLE, { BRIDGE_PUBLIC_URL: 'https://bridge.acme.test/' }).webhookUrl,
      'https://bridge.acme.test/webhooks/hubspot',
    );
    assert.throws(
      () => readChannelConfig(EXAMPLE, {}),
      (e: unknown) => {
        assert.ok(e instanceof ChannelConfigError);
        assert.deepEqual(e.problems, [
          'webhookUrl: ${BRIDGE_PUBLIC_URL} is not set (set BRIDGE_PUBLIC_URL in the environment or .env)',
          'channelAccountConnectionRedirectUrl: ${BRIDGE_PUBLIC_URL} is not set (set BRIDGE_PUBLIC_URL in the environment or .env)',
        ]);
        return true;
      },
    );
  });

  it('reads the same config as YAML', () => {
    const c = example();
    const yaml = `name: ${c.name}\nwebhookUrl: ${c.webhookUrl}\nchannelAccountConnectionRedirectUrl: ${c.channelAccountConnectionRedirectUrl}\ncapabilities:\n  threadingModel: DELIVERY_IDENTIFIER\n  deliveryIdentifierTypes: [HS_PHONE_NUMBER]\n  allowOutgoingMessages: true\n  allowConversationStart: false\n`;
    assert.equal(
      readChannelConfig(write('channel.yaml', yaml), SETTINGS).capabilities.threadingModel,
      'DELIVERY_IDENTIFIER',
    );
  });

  it('lists every missing or wrong field with its path', () => {
    const c = example();
    delete c.webhookUrl;
    c.channelAccountConnectionRedirectUrl = 'not a url';
    c.capabilities.threadingModel = 'BY_MAGIC';
    c.capabilities.deliveryIdentifierTypes = [{ type: 'HS_PHONE_NUMBER', value: '+1' }];
    c.capabilities.maxFileAttachmentCount = -2;
    c.capabilities.typo = true;
    assert.throws(
      () => readChannelConfig(write('bad.json', c), SETTINGS),
      (e: unknown) => {
        assert.ok(e instanceof ChannelConfigError);
        const text = e.problems.join('\n');
        assert.match(text, /^webhookUrl is required$/m);
        assert.match(text, /channelAccountConnectionRedirectUrl must be an absolute URL/);
        assert.match(
          text,
          /capabilities\.threadingModel: threadingModel must be INTEGRATION_THREAD_ID or DELIVERY_IDENTIFIER/,
        );
        assert.match(
          text,
          /capabilities\.deliveryIdentifierTypes\.0: each delivery identifier type must be a plain string/,
        );
        assert.match(text, /capabilities\.maxFileAttachmentCount: maxFileAttachmentCount must be positive/);
        assert.match(text, /capabilities: unknown field\(s\) typo/);
        return true;
      },
    );
  });

  it('says when the file cannot be read or parsed', () => {
    assert.throws(() => readChannelConfig(path.join(dir, 'missing.json'), SETTINGS), /cannot read the file: ENOENT/);
    assert.throws(() => readChannelConfig(write('broken.json', '{"name": '), SETTINGS), /cannot parse it as JSON/);
    assert.throws(() => readChannelConfig(write('broken.yml', 'name: [unclosed'), SETTINGS), /cannot parse it as YAML/);
  });
});

describe('channel-bridge channel register|show|update|archive', () => {
  let sandbox: Awaited<ReturnType<typeof listen>>;
  const state = createHubSpotSandboxState();
  let env: Record<string, string>;
  before(async () => {
    sandbox = await listen(createHubSpotSandbox(state));
    env = {
      ...SETTINGS,
      HUBSPOT_BASE_URL: sandbox.url,
      HUBSPOT_DEVELOPER_API_KEY: state.app.developerApiKey,
      HUBSPOT_APP_ID: String(state.app.appId),
      BRIDGE_ADMIN_TOKEN: 'cli-admin-token-0123456789',
    };
  });
  after(() => new Promise<void>((r) => sandbox.server.close(() => r())));

  it(
    'registers, shows, updates and archives the channel with the developer API key',
    { timeout: 240_000 },
    async () => {
      const registered = await cli(['channel', 'register', '--config', EXAMPLE], env);
      assert.equal(registered.code, 0, registered.stderr);
      const channel = JSON.parse(registered.stdout) as { id: string; capabilities: { maxFileAttachmentCount: number } };
      assert.match(registered.stderr, new RegExp(`HUBSPOT_CHANNEL_ID=${channel.id}`));
      assert.equal(
        state.channels.get(channel.id)?.channelAccountConnectionRedirectUrl,
        'https://bridge.example.com/connect',
      );

      const c = example();
      c.capabilities.maxFileAttachmentCount = 2;
      const updated = await cli(['channel', 'update', channel.id, '--config', write('update.json', c)], env);
      assert.equal(updated.code, 0, updated.stderr);
      const shown = await cli(['channel', 'show', channel.id], env);
      assert.equal((JSON.parse(shown.stdout) as typeof channel).capabilities.maxFileAttachmentCount, 2);

      const unconfirmed = await cli(['channel', 'archive', channel.id], env);
      assert.notEqual(unconfirmed.code, 0);
      assert.match(unconfirmed.stderr, /add --yes to confirm/);
      const archived = await cli(['channel', 'archive', channel.id, '--yes'], env);
      assert.equal(archived.code, 0, archived.stderr);
      assert.equal(state.channels.get(channel.id)?.archived, true);
    },
  );

  it('exits non-zero with a readable message for every bad input', { timeout: 240_000 }, async () => {
    const noToken = await cli(['channel', 'register', '--config', EXAMPLE], { ...env, BRIDGE_ADMIN_TOKEN: undefined });
    assert.equal(noToken.code, 2, 'a setting the command needs is missing: a usage error');
    assert.match(noToken.stderr, /needs the admin token: set BRIDGE_ADMIN_TOKEN/);

    const noKey = await cli(['channel', 'show', '1'], { ...env, HUBSPOT_DEVELOPER_API_KEY: undefined });
    assert.match(noKey.stderr, /need the developer API key \(HUBSPOT_DEVELOPER_API_KEY/);

    const wrongKey = await cli(['channel', 'register', '--config', EXAMPLE], {
      ...env,
      HUBSPOT_DEVELOPER_API_KEY: 'wrong',
    });
    assert.equal(wrongKey.code, 1);
    assert.match(wrongKey.stderr, /HubSpot answered 401.*\n.*check HUBSPOT_DEVELOPER_API_KEY/);

    const badConfig = await cli(['channel', 'register', '--config', write('incomplete.json', { name: 'x' })], env);
    assert.equal(badConfig.code, 1);
    assert.match(badConfig.stderr, /is not a valid channel config:\n\s+- webhookUrl is required/);

    const badId = await cli(['channel', 'show', 'abc'], env);
    assert.match(badId.stderr, /"abc" is not a channel id/);
  });
});
