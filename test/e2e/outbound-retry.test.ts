import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { ACCOUNT_CACHE_TTL_MS } from '../../packages/bridge/src/store/account-cache.js';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { adminOpenApi } from '../../packages/bridge/src/api/openapi/admin.js';
import { StatusKey } from '../../packages/bridge/src/domain/search-attributes.js';
import { accountStateChanged } from '../../packages/bridge/src/domain/signals.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, listen, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { openThread, replyAsRep, statusUpdates, uploadRepFile, waitForStatus } from '../helpers/outbound-world.js';
import { startTelegramSandbox, type TelegramSandboxHandle } from '../helpers/telegram-sandbox.js';
import { temporalAddress, waitFor } from '../helpers/temporal.js';
import { SAMPLES } from '../helpers/whatsapp-media.js';

const TOKEN = 'admin-token-for-retry-tests-0123456789';
const bin = path.resolve(import.meta.dirname, '../../packages/bridge/bin/channel-bridge.js');

/** The real command as a process; resolves with its exit code and output (never rejects on a non-zero exit). */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, 'messages', ...args],
      {
        env: { ...process.env, TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_UI_URL: 'http://ui.test:8233' },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema(JSON.parse(JSON.stringify(adminOpenApi)) as object, 'openapi.json');
function conforms(schema: string, body: unknown): void {
  const validate = ajv.getSchema(`openapi.json#/components/schemas/${schema}`)!;
  assert.ok(validate(body), `${schema}: ${ajv.errorsText(validate.errors)}`);
}

interface Sent {
  readonly method: string;
  readonly message: { text?: string; caption?: string; document?: { file_name?: string } };
}
interface Listed {
  workflowId: string;
  runId: string;
  status?: string;
  retry: { retryable: boolean; kind?: string; label: string; reason: string };
}
interface Report extends Listed {
  executionStatus: string;
  attempts: { runId: string; executionStatus: string; status?: string; outcome?: string }[];
}

/** A reply that failed to reach a Telegram customer, the cause removed, then `messages retry` (CLI and admin API). */
describe('outbound retry: a failed reply is sent again, once, and HubSpot moves from FAILED to SENT', () => {
  let bridge: TestBridge;
  let tg: TelegramSandboxHandle;
  let account: AccountWithCredentials;
  let admin: { url: string; close: () => Promise<void> };
  let nextCustomer = 7300;

  before(async () => {
    tg = await startTelegramSandbox();
    bridge = await startTestBridge({
      outbound: { providerEndpoints: { settings: { telegram: { apiBaseUrl: tg.url } } } },
    });
    account = await connectAccount(bridge, 'telegram', { botToken: tg.token, secretToken: 'retry-test-secret' });
    const app = createApp({
      store: bridge.store,
      temporal: bridge.client,
      taskQueue: bridge.taskQueue,
      logger: createLogger('test-admin', 'silent'),
      maxBodyBytes: 65536,
      checkTemporal: async () => undefined,
      adminToken: TOKEN,
      inspect: { namespace: 'default', uiUrl: 'http://ui.test:8233' },
    });
    const { server, url } = await listen(app);
    admin = { url, close: () => new Promise<void>((r) => server.close(() => r())) };
  });
  after(async () => {
    await admin?.close();
    await bridge?.stop();
    await tg?.close();
  });

  async function customer(): Promise<{ chatId: number; threadId: string }> {
    const chatId = (nextCustomer += 1);
    assert.equal(
      (await tg.control(`/bots/${tg.bot.id}/messages`, { from: { id: chatId, first_name: 'Jane' }, text: 'Hello' }))
        .status,
      201,
    );
    const threadId = await openThread(bridge, account, String(chatId), {
      type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
      value: String(chatId),
    });
    return { chatId, threadId };
  }
  const sentTo = async (chatId: number): Promise<Sent[]> =>
    (await (await tg.control(`/bots/${tg.bot.id}/sent?chat_id=${chatId}`)).json()) as Sent[];
  const adminCall = (method: string, p: string) =>
    fetch(`${admin.url}${p}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
  /** The reply's first run, finished with result FAILED: a retry must find a closed run. */
  const failedRun = async (messageId: string) => {
    // HubSpot's webhook reaches the bridge a moment after the reply: until then there is no workflow.
    await waitForStatus(bridge, messageId, 'FAILED', 60_000);
    const result = (await bridge.client.workflow.getHandle(`outbound:${messageId}`).result()) as {
      status: string;
      reason?: string;
    };
    assert.equal(result.status, 'FAILED');
    return result;
  };
  /** HubSpot's status as its API answers it (what the inbox shows the rep). */
  const hubspotStatus = async (messageId: string) => {
    const res = await fetch(
      `${bridge.sandbox.url}/conversations/v3/custom-channels/${bridge.sandbox.channelId}/messages/${messageId}`,
      { headers: { authorization: `Bearer ${bridge.sandbox.portal.accessToken}` } },
    );
    return ((await res.json()) as { status: { statusType: string } }).status.statusType;
  };

  it('CLI: a text + file reply whose file was refused is retried after the cause is gone; the text is not sent twice', async () => {
    const { chatId, threadId } = await customer();
    // Longer than a caption (1024), so the text goes as a part of its own before the file.
    const text = `Here is your label. ${'Please print it and attach it to the parcel. '.repeat(30)}`.trim();
    const file = await uploadRepFile(bridge, 'label.pdf', 'application/pdf', SAMPLES.pdf());
    assert.equal(
      (await tg.control('/faults', { type: 'blocked', method: 'sendDocument', bot_id: tg.bot.id })).status,
      201,
    );
    const messageId = await replyAsRep(bridge, threadId, { text, fileIds: [file] });
    const failed = await failedRun(messageId);
    assert.equal(failed.reason, 'the customer blocked the bot');
    assert.deepEqual(
      (await sentTo(chatId)).map((s) => s.method),
      ['sendMessage'],
      'the text went before the file failed',
    );
    assert.equal(await hubspotStatus(messageId), 'FAILED');

    const listedFailed = await waitFor(
      async () => {
        const run = await cli('list', '--account', account.accountId, '--status', 'failed', '--json');
        const found = (JSON.parse(run.stdout || '[]') as Listed[]).find(
          (m) => m.workflowId === `outbound:${messageId}`,
        );
        return found;
      },
      30_000,
      'the failed reply in messages list',
    );
    assert.equal(listedFailed.retry.retryable, true);
    assert.equal(listedFailed.retry.label, 'resend');
    const text_ = await cli('list', '--account', account.accountId, '--status', 'failed');
    assert.match(text_.stdout, new RegExp(`FAILED\\s+outbound\\s+retry: resend\\s+outbound:${messageId}`));
    assert.match(text_.stdout, /^retry: resend\s+a new run delivers the reply again/m);

    assert.equal((await tg.control('/faults', undefined, 'DELETE')).status, 204);
    const retry = await cli('retry', messageId);
    assert.equal(retry.code, 0, retry.stderr);
    assert.match(
      retry.stdout,
      new RegExp(
        `^outbound:${messageId}: sending the reply again \\(retry 1\\), new run \\S+; parts the customer already has are not sent again$`,
        'm',
      ),
    );

    assert.deepEqual(await waitForStatus(bridge, messageId, 'SENT', 60_000), [
      { statusType: 'FAILED', errorMessage: 'the customer blocked the bot' },
      { statusType: 'SENT' },
    ]);
    assert.equal(await hubspotStatus(messageId), 'SENT');
    const sent = await sentTo(chatId);
    assert.deepEqual(
      sent.map((s) => s.method),
      ['sendMessage', 'sendDocument'],
      'the text once, then the file',
    );
    assert.equal(sent[0]!.message.text, text);
    assert.equal(sent[1]!.message.document?.file_name, 'label.pdf');
    const documentCalls = (await (await tg.control('/calls?method=sendDocument')).json()) as { status: number }[];
    assert.deepEqual(
      documentCalls.map((c) => c.status),
      [403, 200],
    );
    const textCalls = (
      (await (await tg.control('/calls?method=sendMessage')).json()) as {
        params: { chat_id?: unknown };
        status: number;
      }[]
    ).filter((c) => String(c.params.chat_id) === String(chatId));
    assert.equal(textCalls.length, 1, 'the retry did not send the text again');

    // show by HubSpot message id: the latest run, and both attempts.
    const shown = await waitFor(
      async () => {
        const run = await cli('show', messageId, '--json');
        const report = run.code === 0 ? (JSON.parse(run.stdout) as Report) : undefined;
        return report && report.executionStatus === 'COMPLETED' && report.attempts.length === 2 ? report : undefined;
      },
      30_000,
      'show to list both runs',
    );
    assert.equal(shown.workflowId, `outbound:${messageId}`);
    assert.equal(shown.status, 'SENT');
    assert.deepEqual(
      shown.attempts.map((a) => [a.status, a.outcome]),
      [
        ['FAILED', 'FAILED: the customer blocked the bot'],
        ['SENT', 'SENT'],
      ],
    );
    assert.equal(shown.attempts[1]!.runId, shown.runId);
    assert.equal(shown.retry.label, 'no: delivered');
    const shownText = await cli('show', messageId);
    assert.match(shownText.stdout, /^attempts \(2 runs, oldest first; the timeline is the last one's\):$/m);
    assert.match(shownText.stdout, /^retry\s+no: delivered: the reply reached the customer$/m);

    // Once sent, the reply is no longer listed as failed, and a second retry is refused.
    await waitFor(
      async () => {
        const run = await cli('list', '--account', account.accountId, '--status', 'failed', '--json');
        return (JSON.parse(run.stdout || '[]') as Listed[]).some((m) => m.workflowId === `outbound:${messageId}`)
          ? undefined
          : true;
      },
      30_000,
      'the sent reply to leave the failed list',
    );
    const again = await cli('retry', messageId);
    assert.equal(again.code, 3);
    assert.match(again.stderr, /is COMPLETED, not failed: nothing to retry \(SENT: the reply reached the customer\)/);
  });

  it('admin API: a reply to a customer who blocked the bot is sent once the customer unblocks it', async () => {
    const { chatId, threadId } = await customer();
    assert.equal((await tg.control(`/bots/${tg.bot.id}/block`, { user_id: chatId })).status, 200);
    const messageId = await replyAsRep(bridge, threadId, { text: 'Are you there?' });
    await failedRun(messageId);
    assert.deepEqual(await sentTo(chatId), []);

    assert.equal((await tg.control(`/bots/${tg.bot.id}/unblock`, { user_id: chatId })).status, 200);
    const res = await adminCall('POST', `/admin/messages/${messageId}/retry`);
    assert.equal(res.status, 202);
    const result = (await res.json()) as {
      kind: string;
      workflowId: string;
      runId: string;
      previousRunId: string;
      attempt: number;
    };
    conforms('RetryResult', result);
    assert.deepEqual([result.kind, result.workflowId, result.attempt], ['resend', `outbound:${messageId}`, 1]);
    assert.notEqual(result.runId, result.previousRunId);

    assert.deepEqual(await bridge.client.workflow.getHandle(result.workflowId, result.runId).result(), {
      status: 'SENT',
    });
    assert.deepEqual(await statusUpdates(bridge, messageId), [
      { statusType: 'FAILED', errorMessage: 'the customer blocked the bot' },
      { statusType: 'SENT' },
    ]);
    assert.deepEqual(
      (await sentTo(chatId)).map((s) => s.message.text),
      ['Are you there?'],
    );

    const report = (await (await adminCall('GET', `/admin/messages/${messageId}`)).json()) as Report;
    conforms('MessageReport', report);
    assert.equal(report.runId, result.runId, 'show resolves the HubSpot message id to the latest run');
    const refused = await adminCall('POST', `/admin/messages/${messageId}/retry`);
    assert.equal(refused.status, 409);
    assert.match(
      ((await refused.json()) as { error: string }).error,
      /not failed: nothing to retry \(SENT: the reply reached the customer\)/,
    );
  });

  it('refuses a held reply, with what to do instead, and lists it as "no: held"', async () => {
    const { threadId } = await customer();
    await bridge.store.upsertAccount({ ...account, authorized: false });
    // Turned off by another process, as HubSpot's webhook would: the worker sees it once its account cache expires.
    await delay(ACCOUNT_CACHE_TTL_MS);
    let messageId = '';
    try {
      messageId = await replyAsRep(bridge, threadId, { text: 'Held for now' });
      const handle = bridge.client.workflow.getHandle(`outbound:${messageId}`);
      await waitFor(
        async () =>
          (await handle.describe().catch(() => undefined))?.typedSearchAttributes.get(StatusKey) === 'HELD'
            ? true
            : undefined,
        30_000,
        'HELD',
      );
      const res = await adminCall('POST', `/admin/messages/${messageId}/retry`);
      assert.equal(res.status, 409);
      assert.match(
        ((await res.json()) as { error: string }).error,
        /is RUNNING, not failed: nothing to retry \(HELD: it waits for its channel account to be turned on in HubSpot/,
      );
      const listed = await waitFor(
        async () => {
          const body = (await (
            await adminCall('GET', `/admin/messages?account=${account.accountId}&status=held`)
          ).json()) as { messages: Listed[] };
          return body.messages.find((m) => m.workflowId === `outbound:${messageId}`);
        },
        30_000,
        'the held reply in the list',
      );
      conforms('MessageSummary', listed);
      assert.deepEqual([listed.retry.retryable, listed.retry.label], [false, 'no: held']);
    } finally {
      await bridge.store.upsertAccount({ ...account, authorized: true });
    }
    await bridge.client.workflow
      .getHandle(`outbound:${messageId}`)
      .signal(accountStateChanged, { authorized: true, removed: false });
    await waitForStatus(bridge, messageId, 'SENT', 60_000);
  });

  it('refuses a reply whose file the provider refuses: a retry would be refused the same way', async () => {
    const { chatId, threadId } = await customer();
    const huge = await uploadRepFile(
      bridge,
      'huge.jpg',
      'image/jpeg',
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(10 * 1024 * 1024)]),
    );
    const messageId = await replyAsRep(bridge, threadId, { text: 'Your photo', fileIds: [huge] });
    await failedRun(messageId);
    const run = await cli('retry', messageId);
    assert.equal(run.code, 3);
    assert.match(
      run.stderr,
      /the provider's rules refuse the reply as written \(nothing was sent: file too large for Telegram: huge\.jpg .*\); a retry would be refused the same way/,
    );
    assert.deepEqual(await sentTo(chatId), []);
    assert.deepEqual(
      (await statusUpdates(bridge, messageId)).map((u) => u.statusType),
      ['FAILED'],
    );
    // list goes by the status (resend); show reads the history and says why not.
    const report = (await (await adminCall('GET', `/admin/messages/${messageId}`)).json()) as Report;
    conforms('MessageReport', report);
    assert.deepEqual([report.retry.retryable, report.retry.label], [false, 'no: refused as written']);
  });
});
