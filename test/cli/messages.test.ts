import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { temporalAddress, waitFor } from '../helpers/temporal.js';

const bin = path.resolve(import.meta.dirname, '../../packages/bridge/bin/channel-bridge.js');
/** The bridge's SQLite store: the CLI finds an inbound message by its HubSpot id in its message mappings. */
let storeFile = '';

/** Runs the real command; resolves with its exit code and output (never rejects on a non-zero exit). */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, 'messages', ...args],
      {
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: temporalAddress(),
          TEMPORAL_UI_URL: 'http://ui.test:8233',
          BRIDGE_SQLITE_PATH: storeFile,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('channel-bridge messages', () => {
  let bridge: TestBridge;
  let workflowId: string;
  let hubspotMessageId: string;
  before(async () => {
    bridge = await startTestBridge();
    storeFile = bridge.storeFile;
    const payload = messageCreated({ threadKey: 'cli-chat' });
    const request = signedGenericRequest(bridge.signingSecret, payload);
    await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    workflowId = `inbound:${bridge.account.accountId}:${payload.data.messageId}`;
    ({ hubspotMessageId } = (await bridge.client.workflow.getHandle(workflowId).result()) as {
      hubspotMessageId: string;
    });
  });
  after(() => bridge.stop());

  it('show prints the status, the timeline and the Temporal UI link, found by HubSpot message id', async () => {
    const { code, stdout } = await waitFor(
      async () => {
        const run = await cli('show', hubspotMessageId);
        return run.code === 0 ? run : undefined;
      },
      60_000,
      'messages show to find the message',
    );
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`^${workflowId}$`, 'm'));
    assert.match(stdout, /^status\s+PUBLISHED \(workflow COMPLETED\)$/m);
    // The one step, a local activity, is a step of the timeline like any other.
    assert.match(stdout, /activity\s+publishInboundInOneStep → completed \(1 attempt\) in \S+/);
    assert.match(stdout, /status\s+PUBLISHED → set/);
    assert.ok(stdout.includes(`http://ui.test:8233/namespaces/default/workflows/${encodeURIComponent(workflowId)}/`));
  });

  it('list filters by account and status, and prints JSON with --json', async () => {
    const { code, stdout } = await cli(
      'list',
      '--account',
      bridge.account.accountId,
      '--status',
      'published',
      '--since',
      '1h',
      '--json',
    );
    assert.equal(code, 0);
    const listed = JSON.parse(stdout) as { workflowId: string; status: string }[];
    assert.deepEqual(
      listed.map((m) => [m.workflowId, m.status]),
      [[workflowId, 'PUBLISHED']],
    );
  });

  it('exits 3 with a readable message for an unknown id, and for a retry of a message that did not fail', async () => {
    const unknown = await cli('show', 'no-such-message-for-cli');
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /no message found for "no-such-message-for-cli"/);
    const retry = await cli('retry', workflowId);
    assert.equal(retry.code, 3);
    assert.match(retry.stderr, /is COMPLETED, not failed: nothing to retry/);
  });

  it('exits 2 for a bad filter and names it', async () => {
    const bad = await cli('list', '--status', 'LOST');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /status must be one of ACCEPTED, HELD, PUBLISHED, SENT, READ, FAILED; got "LOST"/);
    const limit = await cli('list', '--limit', 'many');
    assert.notEqual(limit.code, 0);
    assert.match(limit.stderr, /limit must be a whole number from 1 to 1000/);
  });

  it('exits 4 when Temporal is unreachable', async () => {
    const down = await cli('list', '--address', '127.0.0.1:1');
    assert.equal(down.code, 4);
    assert.match(down.stderr, /Temporal is unreachable/);
  });
});
