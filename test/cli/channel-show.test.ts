import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LocalState } from '../../packages/dev-tools/src/cli/start.js';
import { createHubSpotSandbox } from '../../packages/sandbox/src/hubspot/app.js';
import { createHubSpotSandboxState } from '../../packages/sandbox/src/hubspot/state.js';
import { listen } from '../helpers/bridge.js';
import { cli } from '../doctor/cli.js';

/**
 * What `npm start` writes into its data folder for a sandbox run (packages/dev-tools/src/cli/start.ts), pointing at
 * `baseUrl`.
 */
function writeLocalState(
  dataDir: string,
  state: ReturnType<typeof createHubSpotSandboxState>,
  baseUrl: string,
  channelId: string,
  pid: number,
): void {
  const portal = [...state.portals.values()][0]!;
  const local: LocalState = {
    mode: 'sandbox',
    startedAt: new Date().toISOString(),
    pid,
    urls: {
      api: 'http://127.0.0.1:3000',
      hubspotInbox: `${baseUrl}/`,
      temporalUi: 'http://127.0.0.1:8233',
      temporal: '127.0.0.1:7233',
    },
    hubspot: {
      baseUrl,
      portalId: portal.portalId,
      accessToken: portal.accessToken,
      appId: state.app.appId,
      developerApiKey: state.app.developerApiKey,
      clientSecret: state.app.clientSecret,
    },
    channelId,
    accounts: [],
    logs: {},
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'local.json'), JSON.stringify(local, null, 2));
}

/** The pid of a process that has exited. */
async function stoppedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

describe('channel-bridge channel show', { timeout: 240_000 }, () => {
  const state = createHubSpotSandboxState();
  let sandbox: Awaited<ReturnType<typeof listen>>;
  let channelId: string;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-show-'));
  before(async () => {
    sandbox = await listen(createHubSpotSandbox(state));
    const res = await fetch(
      `${sandbox.url}/conversations/v3/custom-channels?hapikey=${state.app.developerApiKey}&appId=${state.app.appId}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Local channel',
          webhookUrl: 'http://127.0.0.1:3000/webhooks/hubspot',
          capabilities: {
            threadingModel: 'INTEGRATION_THREAD_ID',
            deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'],
          },
        }),
      },
    );
    channelId = ((await res.json()) as { id: string }).id;
  });
  after(() => new Promise<void>((r) => sandbox.server.close(() => r())));

  it('shows the running local sandbox\'s channel with no settings, as "demo send" finds the sandbox', async () => {
    const dataDir = path.join(root, 'running');
    writeLocalState(dataDir, state, sandbox.url, channelId, process.pid);
    const shown = await cli(['channel', 'show'], { BRIDGE_DATA_DIR: dataDir });
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal((JSON.parse(shown.stdout) as { id: string; name: string }).name, 'Local channel');
    assert.match(
      shown.stderr,
      new RegExp(`using the local sandbox HubSpot at ${sandbox.url} \\(from ${dataDir}/local.json\\)`),
    );
    const byId = await cli(['channel', 'show', channelId, '--data-dir', dataDir], {});
    assert.equal((JSON.parse(byId.stdout) as { id: string }).id, channelId);
    assert.ok(!shown.stderr.includes(state.app.developerApiKey) && !shown.stdout.includes(state.app.developerApiKey));
  });

  it('says when the local sandbox has stopped, or there is none, and what to set instead', async () => {
    const stopped = path.join(root, 'stopped');
    writeLocalState(stopped, state, sandbox.url, channelId, await stoppedPid());
    const dead = await cli(['channel', 'show'], { BRIDGE_DATA_DIR: stopped });
    assert.equal(dead.code, 2, 'a setting the command needs is missing: a usage error');
    assert.match(
      dead.stderr,
      /need the developer API key \(HUBSPOT_DEVELOPER_API_KEY or --developer-api-key\) and the app id \(HUBSPOT_APP_ID or --app-id\); the local sandbox is not running \("npm start", pid \d+, has stopped; start it again\)/,
    );
    const none = await cli(['channel', 'show', '1'], { BRIDGE_DATA_DIR: path.join(root, 'none') });
    assert.match(
      none.stderr,
      /no running local sandbox either \(.*none\/local\.json does not exist; "npm start" writes it\)/,
    );
    const noChannel = await cli(['channel', 'show'], {
      HUBSPOT_DEVELOPER_API_KEY: state.app.developerApiKey,
      HUBSPOT_APP_ID: String(state.app.appId),
      HUBSPOT_BASE_URL: sandbox.url,
      BRIDGE_DATA_DIR: path.join(root, 'none'),
    });
    assert.match(
      noChannel.stderr,
      /name the channel: channel-bridge channel show <channelId>, or set HUBSPOT_CHANNEL_ID/,
    );
  });

  it('never prints the developer API key, whatever fails', async () => {
    const key = state.app.developerApiKey;
    const settings = { HUBSPOT_DEVELOPER_API_KEY: key, HUBSPOT_APP_ID: String(state.app.appId) };
    const unreachable = await cli(['channel', 'show', channelId], {
      ...settings,
      HUBSPOT_BASE_URL: 'http://127.0.0.1:1',
    });
    assert.equal(unreachable.code, 1);
    assert.match(
      unreachable.stderr,
      /cannot reach HubSpot at http:\/\/127\.0\.0\.1:1 \(check HUBSPOT_BASE_URL or --base-url\): ECONNREFUSED/,
    );

    const gone = path.join(root, 'gone');
    writeLocalState(gone, state, 'http://127.0.0.1:1', channelId, process.pid);
    const sandboxGone = await cli(['channel', 'show'], { BRIDGE_DATA_DIR: gone });
    assert.match(
      sandboxGone.stderr,
      /cannot reach the local sandbox HubSpot at http:\/\/127\.0\.0\.1:1 \(from .*gone\/local\.json; is "npm start" still running\?\): ECONNREFUSED/,
    );

    const wrong = 'wrong-developer-key-9876';
    const refused = await cli(['channel', 'show', channelId], {
      ...settings,
      HUBSPOT_DEVELOPER_API_KEY: wrong,
      HUBSPOT_BASE_URL: sandbox.url,
    });
    assert.match(refused.stderr, /HubSpot answered 401.*\n.*check HUBSPOT_DEVELOPER_API_KEY/);

    for (const run of [unreachable, sandboxGone, refused]) {
      for (const secret of [key, encodeURIComponent(key), wrong])
        assert.ok(!`${run.stdout}${run.stderr}`.includes(secret), `a key in: ${run.stderr}`);
    }
  });
});
